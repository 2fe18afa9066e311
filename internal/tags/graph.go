// Package tags is the tag graph: synonyms, meta/sub tags, parent fandoms,
// and the filter rule that says which tags a filter on T matches.
package tags

import (
	"slices"

	"quire/internal/archive"
)

// Node is one tag in the graph.
type Node struct {
	archive.Tag
	Meta    []int64 // direct meta tags
	Parents []int64 // parent fandoms
}

// Graph is an immutable snapshot of the vocabulary. Wrangling builds a new one.
type Graph struct {
	nodes    map[int64]*Node
	byKey    map[string][]int64 // TagKey(name) -> ids of any type
	synonyms map[int64][]int64  // canonical -> its synonyms
	subs     map[int64][]int64  // meta -> its direct sub tags
}

// NewGraph builds a graph from nodes.
func NewGraph(nodes []Node) *Graph {
	g := &Graph{
		nodes:    make(map[int64]*Node, len(nodes)),
		byKey:    make(map[string][]int64, len(nodes)),
		synonyms: map[int64][]int64{},
		subs:     map[int64][]int64{},
	}
	for i := range nodes {
		n := &nodes[i]
		g.nodes[n.ID] = n
		k := archive.TagKey(n.Name)
		g.byKey[k] = append(g.byKey[k], n.ID)
	}
	for _, ids := range g.byKey {
		slices.Sort(ids) // Lookup promises id order
	}
	for _, n := range g.nodes {
		if n.SynonymOf != 0 {
			g.synonyms[n.SynonymOf] = append(g.synonyms[n.SynonymOf], n.ID)
		}
		for _, m := range n.Meta {
			g.subs[m] = append(g.subs[m], n.ID)
		}
	}
	return g
}

// Len is the number of tags.
func (g *Graph) Len() int { return len(g.nodes) }

// Node returns the tag with the id, or nil.
func (g *Graph) Node(id int64) *Node { return g.nodes[id] }

// Lookup finds a tag by type and name (case-insensitive, NFC). An empty type
// matches any type; several matches are returned in id order.
func (g *Graph) Lookup(t archive.TagType, name string) []*Node {
	var out []*Node
	for _, id := range g.byKey[archive.TagKey(name)] {
		if n := g.nodes[id]; n != nil && (t == "" || n.Type == t) {
			out = append(out, n)
		}
	}
	return out
}

// FilterTag is the tag a filter naming id actually filters by: the
// canonical tag for a synonym, the tag itself otherwise.
func (g *Graph) FilterTag(id int64) int64 {
	if n := g.nodes[id]; n != nil && n.SynonymOf != 0 && !n.Canonical {
		return n.SynonymOf
	}
	return id
}

// Expand returns every tag a filter on id matches under the filter rule:
// the filter tag, its synonyms, its sub tags at any depth, and their synonyms.
func (g *Graph) Expand(id int64) []int64 {
	root := g.FilterTag(id)
	seen := map[int64]bool{root: true}
	out := []int64{}
	stack := []int64{root}
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		out = append(out, t)
		out = append(out, g.synonyms[t]...)
		for _, s := range g.subs[t] {
			if !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
	return out
}

// Matches returns the filterable tags that a work carrying id matches: the
// tag's filter tag and every meta tag above it. It is the inverse of Expand.
func (g *Graph) Matches(id int64) []int64 {
	root := g.FilterTag(id)
	return g.MetaClosure(root)
}

// MetaClosure returns id and all its meta tags, transitively.
func (g *Graph) MetaClosure(id int64) []int64 {
	seen := map[int64]bool{id: true}
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		if n := g.nodes[out[i]]; n != nil {
			for _, m := range n.Meta {
				if !seen[m] {
					seen[m] = true
					out = append(out, m)
				}
			}
		}
	}
	return out
}

// IsCrossover reports whether a work with these fandom tags is a crossover:
// two of its fandoms, each resolved to its filter tag, share no element of
// their meta-tag closures.
func (g *Graph) IsCrossover(fandoms []int64) bool {
	if len(fandoms) < 2 {
		return false
	}
	closures := make([]map[int64]bool, 0, len(fandoms))
	for _, f := range fandoms {
		set := map[int64]bool{}
		for _, m := range g.MetaClosure(g.FilterTag(f)) {
			set[m] = true
		}
		closures = append(closures, set)
	}
	for i := range closures {
		for j := i + 1; j < len(closures); j++ {
			if !intersects(closures[i], closures[j]) {
				return true
			}
		}
	}
	return false
}

func intersects(a, b map[int64]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

// Synonyms lists the synonyms of a canonical tag.
func (g *Graph) Synonyms(id int64) []int64 { return g.synonyms[id] }

// Subs lists the direct sub tags of a tag.
func (g *Graph) Subs(id int64) []int64 { return g.subs[id] }

// CheckMeta refuses a meta edge sub -> meta that breaks the rules: both
// canonical, same type, no self-loop, no cycle.
func (g *Graph) CheckMeta(sub, meta int64) error {
	s, m := g.nodes[sub], g.nodes[meta]
	if s == nil || m == nil {
		return archive.Invalid("meta", "unknown tag")
	}
	if s.Type != m.Type {
		return archive.Invalid("meta", "%q is a %s and %q a %s; a meta tag must have the same type", m.Name, m.Type, s.Name, s.Type)
	}
	if sub == meta {
		return archive.Invalid("meta", "%q can't be its own meta tag", s.Name)
	}
	if !m.Canonical {
		return archive.Invalid("meta", "%q is not canonical; only canonical tags can be meta tags", m.Name)
	}
	if !s.Canonical {
		return archive.Invalid("meta", "%q is not canonical; only canonical tags can have meta tags", s.Name)
	}
	for _, up := range g.MetaClosure(meta) {
		if up == sub {
			return archive.Invalid("meta", "making %q a meta tag of %q would make a cycle", m.Name, s.Name)
		}
	}
	return nil
}

// CheckSynonym refuses making tag a synonym of target when the rules forbid it.
func (g *Graph) CheckSynonym(tag, target int64) error {
	t, c := g.nodes[tag], g.nodes[target]
	if t == nil || c == nil {
		return archive.Invalid("synonym_of", "unknown tag")
	}
	if tag == target {
		return archive.Invalid("synonym_of", "%q can't be a synonym of itself", t.Name)
	}
	if t.Type != c.Type {
		return archive.Invalid("synonym_of", "%q is a %s and %q a %s; a synonym must have the same type", t.Name, t.Type, c.Name, c.Type)
	}
	if !c.Canonical {
		return archive.Invalid("synonym_of", "%q is not canonical; synonyms point at canonical tags", c.Name)
	}
	if archive.FixedVocabulary(t.Type) != nil {
		return archive.Invalid("synonym_of", "%s tags are a fixed vocabulary and can't be wrangled", t.Type)
	}
	return nil
}

// Each calls fn for every tag, in no particular order.
func (g *Graph) Each(fn func(*Node)) {
	for _, n := range g.nodes {
		fn(n)
	}
}

// EachName calls fn for every distinct name key (NFC, case folded) with the
// tags that carry it, in no particular order.
func (g *Graph) EachName(fn func(key string, ids []int64)) {
	for k, ids := range g.byKey {
		fn(k, ids)
	}
}
