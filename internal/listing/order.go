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

// position returns where id is, by its current column values, or -1.
func (o *order) position(c *columns, id uint32) int {
	if i := o.search(c, id); i < len(o.ids) && o.ids[i] == id {
		return i
	}
	return slices.Index(o.ids, id) // not where its key says (never expected)
}

// move puts the id at position i where its changed key now sorts, shifting
// only the works between its old and new places: a counter that changes by
// a little moves a little, so hits can change on every read.
func (o *order) move(c *columns, id uint32, i int) {
	if i < 0 {
		o.insert(c, id)
		return
	}
	less := func(x int) bool { return c.before(o.key, o.ids[x], id) }
	switch {
	case i > 0 && !less(i-1): // sorts earlier now
		j := sort.Search(i, func(x int) bool { return !less(x) })
		copy(o.ids[j+1:i+1], o.ids[j:i])
		o.ids[j] = id
	case i+1 < len(o.ids) && less(i+1): // sorts later now
		j := i + 1 + sort.Search(len(o.ids)-i-1, func(x int) bool { return !less(i + 1 + x) })
		copy(o.ids[i:j-1], o.ids[i+1:j])
		o.ids[j-1] = id
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

// walk calls fn with the ids that in reports as members, in the requested
// direction, honouring the tie rule (id descending) in both: a descending
// walk goes backwards but emits each run of equal keys in its stored order.
// fn returns false to stop.
func (o *order) walk(c *columns, desc bool, in func(uint32) bool, fn func(uint32) bool) {
	if !desc {
		for _, id := range o.ids {
			if in(id) && !fn(id) {
				return
			}
		}
		return
	}
	cmp := c.comparer(o.key)
	for end := len(o.ids); end > 0; {
		// The next member going backwards; its run of equal keys holds no
		// member after it, so the run is emitted from its start up to it.
		p := end - 1
		for p >= 0 && !in(o.ids[p]) {
			p--
		}
		if p < 0 {
			return
		}
		start := o.runStart(cmp, p+1)
		for _, id := range o.ids[start : p+1] {
			if in(id) && !fn(id) {
				return
			}
		}
		end = start
	}
}

// runStart finds where the run of keys equal to ids[end-1]'s starts. Runs
// are mostly one work long (dates, titles) but can be very long (most works
// have no bookmarks): a galloping search backwards costs one comparison
// with a neighbour for the first and a logarithm of its length for the
// second.
func (o *order) runStart(cmp func(a, b uint32) int, end int) int {
	last := o.ids[end-1]
	in := end - 1 // a position known to be in the run
	for step := 1; ; step *= 2 {
		i := in - step
		if i < 0 {
			return sort.Search(in, func(j int) bool { return cmp(o.ids[j], last) >= 0 })
		}
		if cmp(o.ids[i], last) < 0 {
			return i + 1 + sort.Search(in-i-1, func(j int) bool { return cmp(o.ids[i+1+j], last) >= 0 })
		}
		in = i
	}
}

// between returns the ids whose key lies in [lo, hi] (numeric keys), found
// by binary search: a contiguous stretch of the order.
func (o *order) between(c *columns, lo, hi int64) []uint32 {
	from, to := o.bounds(c, lo, hi)
	return o.ids[from:to]
}

// bounds returns the positions of the stretch with keys in [lo, hi].
func (o *order) bounds(c *columns, lo, hi int64) (from, to int) {
	from = sort.Search(len(o.ids), func(i int) bool { return c.value(o.key, o.ids[i]) >= lo })
	to = sort.Search(len(o.ids), func(i int) bool { return c.value(o.key, o.ids[i]) > hi })
	return from, max(from, to)
}
