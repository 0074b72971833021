package document

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Options control how documents and the files they reference are read.
type Options struct {
	// ReadFile reads a local file. When nil, only regular files are read,
	// of at most DefaultMaxFileBytes.
	ReadFile func(path string) ([]byte, error)
	// RefRoot is the directory that files named by local $refs must be
	// inside, once symbolic links are resolved. When empty it is
	// DefaultRefRoot of the document loaded first.
	RefRoot string
	// AllowRemoteRefs lets $refs name http(s) URLs. Off by default: loading
	// never touches the network unless asked to.
	AllowRemoteRefs bool
	// Fetch reads a remote document when AllowRemoteRefs is set; a plain
	// HTTP GET with a timeout when nil.
	Fetch func(url string) ([]byte, error)

	// maxFileBytes caps the size of a local file; DefaultMaxFileBytes
	// when 0 (tests lower it).
	maxFileBytes int64

	// Lenient turns a rule violation that still leaves a well-defined
	// document into a warning: Load reports it through Warn and goes on.
	Lenient bool
	// Warn receives each warning, in document order; warnings are dropped
	// when it is nil.
	Warn func(*Error)
}

// File is one loaded file: the root document or one a $ref named.
type File struct {
	// Path is the file's path (slash-separated for URLs).
	Path string
	Root *Node
}

// Loader reads files on demand and resolves $refs between them. It caches
// every file it reads, so each is parsed once.
type Loader struct {
	opts  Options
	files map[string]*File
	// keys indexes the large maps $refs walk through.
	keys keyIndex
	// followed maps each reference object followed so far to the value
	// its chain ends at, so that every chain is walked once.
	followed map[*Node]*Node
	// budget bounds the values built from this loader's files.
	budget *budget
	// confined is the directory local $refs may read, set by the first
	// Load.
	confined *confinement
	// inside holds the file keys found inside the root, each checked once.
	inside map[string]bool
}

// NewLoader returns a Loader with opts.
func NewLoader(opts Options) *Loader {
	if opts.maxFileBytes == 0 {
		opts.maxFileBytes = DefaultMaxFileBytes
	}
	if opts.ReadFile == nil {
		limit := opts.maxFileBytes
		opts.ReadFile = func(path string) ([]byte, error) { return readRegularFile(path, limit) }
	}
	if opts.Fetch == nil {
		opts.Fetch = httpFetch
	}
	return &Loader{opts: opts, files: map[string]*File{}, keys: keyIndex{}, followed: map[*Node]*Node{}, budget: newBudget(), inside: map[string]bool{}}
}

// Load reads and parses the file at path. The first file loaded sets the
// directory local $refs must stay inside, unless Options.RefRoot does.
func (l *Loader) Load(path string) (*File, error) {
	l.confine(path)
	return l.load(filepath.Clean(path), nil)
}

// confine sets, once, the directory local $refs may read: Options.RefRoot,
// else DefaultRefRoot of path, the first document loaded.
func (l *Loader) confine(path string) *confinement {
	if l.confined == nil {
		root := l.opts.RefRoot
		if root == "" {
			root = DefaultRefRoot(path)
		}
		c := newConfinement(root)
		l.confined = &c
	}
	return l.confined
}

func (l *Loader) load(key string, from *Node) (*File, error) {
	if f, ok := l.files[key]; ok {
		return f, nil
	}
	data, err := l.read(key)
	if err != nil {
		return nil, readError(key, from, err)
	}
	f := &File{Path: key}
	root, err := parseFile(f, data)
	if err != nil {
		return nil, err
	}
	f.Root = root
	l.files[key] = f
	return f, nil
}

func (l *Loader) read(key string) ([]byte, error) {
	if isRemote(key) {
		return l.opts.Fetch(key)
	}
	return l.opts.ReadFile(key)
}

// readError is the error for a file that could not be read or fetched;
// from is the $ref that names it, nil for the document itself.
func readError(key string, from *Node, err error) error {
	what := "cannot read"
	problem := readProblem(err)
	if isRemote(key) {
		what, problem = "cannot fetch", fetchProblem(err)
	}
	if from != nil {
		placed := from.Errorf("%s referenced file %s: %s", what, key, problem)
		placed.Err = err
		return placed
	}
	return &Error{Loc: Location{File: key}, Msg: what + ": " + problem, Err: err}
}

// unwrapPathError drops the path that *os.PathError repeats, since our
// messages already name the file.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// IsRef reports whether n is a reference object ({"$ref": "..."}).
func IsRef(n *Node) bool {
	return n != nil && n.Kind == KindMap && n.Has("$ref")
}

// Follow returns the node a reference object points to. It follows chains of
// references and reports a cycle with no concrete value as an error. A node
// that is not a reference is returned as it is.
func (l *Loader) Follow(n *Node) (*Node, error) {
	var chain []*Node
	onChain := map[*Node]bool{}
	for IsRef(n) {
		if end, ok := l.followed[n]; ok {
			n = end
			break
		}
		if onChain[n] {
			return nil, n.Errorf("$ref cycle with no concrete value: %s", refChain(chain, n))
		}
		chain = append(chain, n)
		onChain[n] = true
		next, err := l.Target(n)
		if err != nil {
			return nil, err
		}
		n = next
	}
	for _, ref := range chain {
		l.followed[ref] = n
	}
	return n, nil
}

// refChain names the places of a $ref cycle, each as #pointer, prefixed
// with its file when the cycle crosses files.
func refChain(chain []*Node, again *Node) string {
	parts := make([]string, 0, len(chain)+1)
	for _, n := range append(chain, again) {
		place := "#" + n.Pointer
		if n.File != again.File {
			place = n.File.Path + place
		}
		parts = append(parts, place)
	}
	return strings.Join(parts, " -> ")
}

// Target resolves one step of the reference object n.
func (l *Loader) Target(n *Node) (*Node, error) {
	refNode := n.Get("$ref")
	if refNode.Kind != KindString {
		return nil, refNode.Errorf("$ref must be a string, not %s", refNode.Kind)
	}
	file, fragment, err := l.refFile(refNode)
	if err != nil {
		return nil, err
	}
	target, err := l.keys.walkPointer(file.Root, fragment)
	if err != nil {
		return nil, refNode.Errorf("$ref %q: %v", refNode.Str, err)
	}
	return target, nil
}

// CanonicalRef returns a key naming the place a $ref points to, the same for
// every spelling of the same place.
func (l *Loader) CanonicalRef(refNode *Node) (string, error) {
	file, fragment, err := l.refFile(refNode)
	if err != nil {
		return "", err
	}
	return file.Path + "#" + fragment, nil
}

// refFile loads the file a $ref string names and returns its fragment.
func (l *Loader) refFile(refNode *Node) (*File, string, error) {
	ref := refNode.Str
	if err := checkRefSpelling(refNode); err != nil {
		return nil, "", err
	}
	filePart, fragment, _ := strings.Cut(ref, "#")
	fragment, err := url.PathUnescape(fragment)
	if err != nil {
		return nil, "", refNode.Errorf("$ref %q has a %% that does not start a %%XX escape in its fragment (write %% as %%25)", ref)
	}
	if fragment != "" && !strings.HasPrefix(fragment, "/") {
		return nil, "", refNode.Errorf("$ref %q: only JSON pointer fragments (#/...) are supported, not anchors", ref)
	}
	if filePart == "" {
		return refNode.File, fragment, nil
	}
	key, err := l.resolvePath(refNode, filePart)
	if err != nil {
		return nil, "", err
	}
	f, err := l.load(key, refNode)
	if err != nil {
		return nil, "", err
	}
	return f, fragment, nil
}

// resolvePath turns the file part of a $ref into the key of the file it
// names, relative to the file that holds the $ref.
func (l *Loader) resolvePath(refNode *Node, filePart string) (string, error) {
	base := refNode.File.Path
	target := filePart
	if !isRemote(filePart) && isRemote(base) {
		baseURL, err := url.Parse(base)
		if err == nil {
			rel, relErr := url.Parse(filePart)
			if relErr == nil {
				target = baseURL.ResolveReference(rel).String()
			}
		}
	}
	if isRemote(target) {
		if !l.opts.AllowRemoteRefs {
			return "", refNode.Errorf("$ref %q names a remote document; remote references are refused unless allowed (-allow-remote-refs)", refNode.Str)
		}
		return target, nil
	}
	if strings.Contains(filePart, "://") {
		return "", refNode.Errorf("$ref %q: unsupported URL scheme", refNode.Str)
	}
	name, err := url.PathUnescape(filePart)
	if err != nil {
		return "", refNode.Errorf("$ref %q has a %% that does not start a %%XX escape in its file name (write %% as %%25)", refNode.Str)
	}
	key := filepath.Join(filepath.Dir(base), filepath.FromSlash(name))
	if filepath.IsAbs(name) {
		key = filepath.Clean(name)
	}
	if !l.inside[key] {
		if err := l.confine(base).check(refNode, key); err != nil {
			return "", err
		}
		l.inside[key] = true
	}
	return key, nil
}

// checkRefSpelling refuses a $ref with white space in it: a URI has none,
// and a $ref broken over two lines gets a space (or a line break) where
// it breaks, which would otherwise be reported as some other problem.
func checkRefSpelling(refNode *Node) error {
	i := strings.IndexAny(refNode.Str, " \t\r\n\v\f")
	if i < 0 {
		return nil
	}
	switch refNode.Str[i] {
	case '\n', '\r':
		return refNode.Errorf("$ref %q contains a line break: a $ref is one URI on one line (was it wrapped?)", refNode.Str)
	case ' ':
		return refNode.Errorf("$ref %q contains a space: a URI has none (was it wrapped onto two lines? a space in a file name or key is written %%20)", refNode.Str)
	}
	return refNode.Errorf("$ref %q contains white space (%q): a URI has none", refNode.Str, refNode.Str[i:i+1])
}

func isRemote(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// keyIndex maps the keys of large map nodes to their positions, built the
// first time a JSON pointer walks through the node. A big spec's
// components/schemas has thousands of keys and as many $refs into it; with
// the index each step costs O(1) instead of a scan, so resolving every $ref
// is linear in the spec's size, not quadratic. Loaded files are never
// changed (trait merging copies nodes), so an index stays valid.
type keyIndex map[*Node]map[string]int

// indexedKeys is the size from which a map node gets an index; a scan of
// fewer keys is as fast as a hash lookup.
const indexedKeys = 16

// get returns the value of key in the map node n, or nil.
func (ix keyIndex) get(n *Node, key string) *Node {
	if len(n.Keys) < indexedKeys {
		return n.Get(key)
	}
	positions, ok := ix[n]
	if !ok {
		positions = make(map[string]int, len(n.Keys))
		for i, k := range n.Keys {
			if _, dup := positions[k]; !dup {
				positions[k] = i
			}
		}
		ix[n] = positions
	}
	if i, ok := positions[key]; ok {
		return n.Values[i]
	}
	return nil
}

// walkPointer finds the node a JSON pointer names inside root.
func (ix keyIndex) walkPointer(root *Node, pointer string) (*Node, error) {
	if pointer == "" {
		return root, nil
	}
	n := root
	walked := ""
	for _, token := range strings.Split(pointer[1:], "/") {
		token = unescapePointer(token)
		walked += "/" + escapePointer(token)
		switch n.Kind {
		case KindMap:
			next := ix.get(n, token)
			if next == nil {
				return nil, fmt.Errorf("nothing at %s in %s%s", walked, root.File.Path, closestKey(n, token))
			}
			n = next
		case KindList:
			i, err := strconv.Atoi(token)
			if err != nil || i < 0 || i >= len(n.Items) {
				return nil, fmt.Errorf("nothing at %s in %s", walked, root.File.Path)
			}
			n = n.Items[i]
		default:
			return nil, fmt.Errorf("nothing at %s in %s (a %s has no members)", walked, root.File.Path, n.Kind)
		}
	}
	return n, nil
}

// httpFetch is the default remote reader: a GET with a timeout and a size
// cap. Its errors say what went wrong in our words (fileProblem).
func httpFetch(rawURL string) ([]byte, error) {
	const timeout = 30 * time.Second
	client := &http.Client{Timeout: timeout}
	resp, err := client.Get(rawURL)
	if err != nil {
		return nil, requestProblem(err, timeout)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fileProblem("the server answered " + resp.Status)
	}
	const maxRemote = 16 << 20
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxRemote+1))
	if err != nil {
		return nil, requestProblem(err, timeout)
	}
	if len(data) > maxRemote {
		return nil, tooLarge(maxRemote)
	}
	return data, nil
}

// requestProblem says why an HTTP request failed, without the layers of
// Go's network errors.
func requestProblem(err error, timeout time.Duration) fileProblem {
	var dns *net.DNSError
	var timedOut interface{ Timeout() bool }
	switch {
	case errors.As(err, &dns):
		return fileProblem("no such host " + dns.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused"
	case errors.As(err, &timedOut) && timedOut.Timeout():
		return fileProblem(fmt.Sprintf("no complete answer within %s", timeout))
	case strings.Contains(err.Error(), "certificate"):
		return "the server's TLS certificate is not trusted"
	}
	return "the request failed"
}

// fetchProblem says in a few words why fetching a remote file failed.
func fetchProblem(err error) string {
	var problem fileProblem
	switch {
	case errors.As(err, &problem):
		return problem.Error()
	case errors.Is(err, fs.ErrNotExist):
		return "not found"
	}
	return err.Error()
}
