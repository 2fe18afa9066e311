package listing

import (
	"slices"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
)

// cuts answer a range of one field's values (words, date updated) for a
// large result. below[k] holds every work whose value is under at[k], for
// thresholds at[0] < at[1] < … chosen at the field's quantiles. A range is
// then one intersection and one difference with two of them, plus a check
// of the result's works that fall in the two buckets the range's ends cut
// through — instead of checking every work of a result of millions, or
// sorting a stretch of millions of the field's order.
//
// The thresholds stay fixed while works change (a work moves between the
// sets as its value does), so the sets are exact; when the archive has
// doubled since they were chosen, they are chosen again.
type cuts struct {
	field string
	at    []uint32
	below []*roaring.Bitmap
}

// cutCount is how many thresholds a field gets: each costs up to one bit
// per work (1.25 MB at 10M works), and the edge buckets a range checks
// work by work hold about 2/cutCount of the result.
const cutCount = 16

// cutFields are the fields readers bound: word counts and update dates.
var cutFields = []string{"words", "updated"}

// newCuts chooses thresholds at the quantiles of a field's order (ids
// sorted by value) and fills the sets from ids (the same works in id
// order). It returns nil when there is nothing to cut.
func newCuts(field string, ordered, ids []uint32, col []uint32) *cuts {
	if len(ordered) == 0 {
		return nil
	}
	c := &cuts{field: field}
	for k := 1; k <= cutCount; k++ {
		v := col[ordered[k*len(ordered)/(cutCount+1)]]
		if v > 0 && (len(c.at) == 0 || v > c.at[len(c.at)-1]) {
			c.at = append(c.at, v)
		}
	}
	if len(c.at) == 0 {
		return nil
	}
	// One pass in id order drops each work into its bucket (values in
	// [at[k-1], at[k])); below[k] is then the union of buckets 0..k.
	buckets := make([][]uint32, len(c.at))
	for _, id := range ids {
		if k := c.bucket(col[id]); k < len(c.at) {
			buckets[k] = append(buckets[k], id)
		}
	}
	c.below = make([]*roaring.Bitmap, len(c.at))
	for k, ids := range buckets {
		b := roaring.New()
		if k > 0 {
			b = c.below[k-1].Clone()
		}
		b.AddMany(ids)
		b.RunOptimize()
		c.below[k] = b
	}
	return c
}

// bucket is the first k with v < at[k] (len(at) when v is above them all).
func (c *cuts) bucket(v uint32) int {
	return sort.Search(len(c.at), func(k int) bool { return v < c.at[k] })
}

func (c *cuts) add(id, v uint32) {
	for _, b := range c.below[c.bucket(v):] {
		b.Add(id)
	}
}

func (c *cuts) remove(id, v uint32) {
	for _, b := range c.below[c.bucket(v):] {
		b.Remove(id)
	}
}

// apply keeps the works of b whose value lies in [lo, hi] (lo < 0: no lower
// bound; hi < 0: no upper bound), changing b.
func (c *cuts) apply(b *roaring.Bitmap, lo, hi int64, col []uint32) {
	K := len(c.at)
	var edges []*roaring.Bitmap
	if lo > 0 {
		// i thresholds are ≤ lo: works under at[i-1] are under lo.
		i := sort.Search(K, func(k int) bool { return int64(c.at[k]) > lo })
		if i > 0 {
			b.AndNot(c.below[i-1])
		}
		// Works from at[i-1] (or 0) up to at[i] may still be under lo.
		if i == 0 || int64(c.at[i-1]) < lo {
			if i < K {
				edges = append(edges, roaring.And(b, c.below[i]))
			} else {
				edges = append(edges, b.Clone()) // only the top bucket is left
			}
		}
	}
	if hi >= 0 {
		// The first j thresholds are ≤ hi: works from at[j] up are over hi.
		j := sort.Search(K, func(k int) bool { return int64(c.at[k]) > hi })
		if j < K {
			b.And(c.below[j])
		}
		// Works from at[j-1] (or 0) up to at[j] may still be over hi.
		if j == K || int64(c.at[j]) > hi+1 {
			if j > 0 {
				edges = append(edges, roaring.AndNot(b, c.below[j-1]))
			} else {
				edges = append(edges, b.Clone()) // only the bottom bucket is left
			}
		}
	}
	var out []uint32
	for _, e := range edges {
		eachMany(e, func(ids []uint32) {
			for _, id := range ids {
				if v := int64(col[id]); v < lo || hi >= 0 && v > hi {
					out = append(out, id)
				}
			}
		})
	}
	if len(out) > 0 {
		slices.Sort(out)
		b.AndNot(roaring.BitmapOf(out...))
	}
}
