package listing

import (
	"slices"
	"sort"
)

// order is every work sorted by one key ascending, ties by id descending
// (SPEC: ties are broken by id, descending, in either direction). It is kept
// sorted as works change, so a page of a large result is a short walk.
type order struct {
	key string
	ids []uint32
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

// search finds the position of id (or where it would go), by its current
// column values.
func (o *order) search(c *columns, id uint32) int {
	return sort.Search(len(o.ids), func(i int) bool { return !c.before(o.key, o.ids[i], id) })
}

func (o *order) insert(c *columns, id uint32) {
	o.ids = slices.Insert(o.ids, o.search(c, id), id)
}

// remove takes out id, whose columns must still hold the values it was
// inserted with.
func (o *order) remove(c *columns, id uint32) {
	if i := o.search(c, id); i < len(o.ids) && o.ids[i] == id {
		o.ids = slices.Delete(o.ids, i, i+1)
		return
	}
	// Not where its key says: fall back to a scan (never expected).
	if i := slices.Index(o.ids, id); i >= 0 {
		o.ids = slices.Delete(o.ids, i, i+1)
	}
}

func (o *order) rebuild(c *columns, all []uint32) {
	o.ids = append(o.ids[:0], all...)
	slices.SortFunc(o.ids, func(a, b uint32) int {
		if r := c.compare(o.key, a, b); r != 0 {
			return r
		}
		if a > b {
			return -1
		}
		return 1
	})
}

// walk calls fn with ids in the requested direction, honouring the tie rule
// (id descending) in both: descending walks runs of equal keys backwards
// but emits each run in its stored order. fn returns false to stop.
func (o *order) walk(c *columns, desc bool, fn func(uint32) bool) {
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
		last := o.ids[end-1]
		// The run of keys equal to last's starts at the first position not
		// below it: a binary search, as runs of ties can be very long (most
		// works have no bookmarks).
		start := sort.Search(end, func(i int) bool { return c.compare(o.key, o.ids[i], last) >= 0 })
		for _, id := range o.ids[start:end] {
			if !fn(id) {
				return
			}
		}
		end = start
	}
}

// between returns the ids whose key lies in [lo, hi] (numeric keys), found
// by binary search: a contiguous stretch of the order.
func (o *order) between(c *columns, lo, hi int64) []uint32 {
	from := sort.Search(len(o.ids), func(i int) bool { return c.value(o.key, o.ids[i]) >= lo })
	to := sort.Search(len(o.ids), func(i int) bool { return c.value(o.key, o.ids[i]) > hi })
	if to < from {
		return nil
	}
	return o.ids[from:to]
}
