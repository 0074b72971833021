package generator

import (
	"fmt"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
)

// channelParameter makes the model of a channel parameter: its Go type
// (string, int64 or bool, from the schema's type; string otherwise), the
// values its enum allows and the pattern it must match. A pattern that Go
// cannot compile is an error at the keyword, as a schema's is.
func channelParameter(name, description string, schema *document.SchemaRef) (*model.Parameter, error) {
	p := &model.Parameter{Name: name, Description: description, Type: &model.TypeRef{Kind: model.BuiltinRef, Name: "string"}}
	if schema == nil || schema.Value == nil {
		return p, nil
	}
	s := schema.Value
	switch {
	case s.Type.Is("integer"):
		p.Type.Name = "int64"
	case s.Type.Is("boolean"):
		p.Type.Name = "bool"
	}
	for _, v := range s.Enum {
		p.Enum = append(p.Enum, fmt.Sprint(modelValue(v)))
	}
	if s.Pattern != "" {
		if err := checkPattern(s.KeywordLoc("pattern"), "pattern", s.Pattern); err != nil {
			return nil, err
		}
		p.Pattern = s.Pattern
	}
	return p, nil
}
