package listing

import (
	"sort"
	"strings"
)

// order is every work sorted by one key ascending, ties by id descending
// (SPEC: ties are broken by id, descending, in either direction). It is kept
// sorted as works change, so a page of a large result is a short walk.
type order struct {
	key string
	ids []uint32
}

// compareKey compares two docs by a sort key alone.
func compareKey(key string, a, b *doc) int {
	switch key {
	case "title":
		return strings.Compare(a.TitleSort, b.TitleSort)
	case "creator":
		return strings.Compare(a.CreatorSort, b.CreatorSort)
	}
	x, y := keyValue(key, a), keyValue(key, b)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func keyValue(key string, d *doc) int64 {
	switch key {
	case "posted":
		return d.PostedAt
	case "words":
		return int64(d.Words)
	case "hits":
		return d.Hits
	case "kudos":
		return d.Kudos
	case "comments":
		return d.Comments
	case "bookmarks":
		return d.Bookmarks
	}
	return d.UpdatedAt
}

// before reports whether a sorts before b in the ascending order.
func before(key string, a, b *doc) bool {
	if c := compareKey(key, a, b); c != 0 {
		return c < 0
	}
	return a.ID > b.ID
}

// orderKeys are the sorts that have a presorted order ("relevance" uses
// updated until text is ranked).
var orderKeys = []string{"updated", "posted", "title", "creator", "words", "hits", "kudos", "comments", "bookmarks"}

func sortKeyOf(s string) string {
	if s == "relevance" {
		return "updated"
	}
	return s
}

// search finds the position of d (or where it would go).
func (o *order) search(docs []*doc, d *doc) int {
	return sort.Search(len(o.ids), func(i int) bool { return !before(o.key, docs[o.ids[i]], d) })
}

func (o *order) insert(docs []*doc, d *doc) {
	i := o.search(docs, d)
	o.ids = append(o.ids, 0)
	copy(o.ids[i+1:], o.ids[i:])
	o.ids[i] = uint32(d.ID)
}

// remove takes out d, which must still hold the values it was inserted with.
func (o *order) remove(docs []*doc, d *doc) {
	i := o.search(docs, d)
	if i < len(o.ids) && o.ids[i] == uint32(d.ID) {
		o.ids = append(o.ids[:i], o.ids[i+1:]...)
		return
	}
	// Not where its key says: fall back to a scan (never expected).
	for j, id := range o.ids {
		if id == uint32(d.ID) {
			o.ids = append(o.ids[:j], o.ids[j+1:]...)
			return
		}
	}
}

func (o *order) rebuild(docs []*doc, all []uint32) {
	o.ids = append(o.ids[:0], all...)
	sort.Slice(o.ids, func(i, j int) bool { return before(o.key, docs[o.ids[i]], docs[o.ids[j]]) })
}

// walk calls fn with ids in the requested direction, honouring the tie rule
// (id descending) in both: descending walks runs of equal keys backwards
// but emits each run in its stored order. fn returns false to stop.
func (o *order) walk(docs []*doc, desc bool, fn func(uint32) bool) {
	if !desc {
		for _, id := range o.ids {
			if !fn(id) {
				return
			}
		}
		return
	}
	end := len(o.ids)
	for end > 0 {
		start := end - 1
		last := docs[o.ids[start]]
		for start > 0 && compareKey(o.key, docs[o.ids[start-1]], last) == 0 {
			start--
		}
		for _, id := range o.ids[start:end] {
			if !fn(id) {
				return
			}
		}
		end = start
	}
}
