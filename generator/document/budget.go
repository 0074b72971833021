package document

import "fmt"

// maxExpandedValues bounds the values one Load may build from the
// document's nodes (schemas, examples, merged traits). YAML aliases let a
// few lines name a tree of billions of values; nodes are shared, not
// copied, when the file is read, and this bound stops whatever walks them
// as a tree.
const maxExpandedValues = 1_000_000

// budget counts the values one Load expands, across every schema, example
// and trait, so that many small expansions cannot add up to a huge one.
type budget struct {
	used, max int
}

func newBudget() *budget { return &budget{max: maxExpandedValues} }

// spend counts one value built from n, failing once the budget is spent.
func (b *budget) spend(n *Node) error {
	b.used++
	if b.used > b.max {
		return n.Errorf("the document expands to more than %s values (a YAML alias bomb?)", fmt.Sprint(b.max))
	}
	return nil
}
