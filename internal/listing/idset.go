package listing

import (
	"math"

	"github.com/RoaringBitmap/roaring/v2"
)

// IDSet is a restriction for Query.TextIDs: the works with these ids (ids
// outside the index's range are left out).
func IDSet(ids []int64) *roaring.Bitmap {
	b := roaring.New()
	for _, id := range ids {
		if id > 0 && id <= math.MaxUint32 {
			b.Add(uint32(id))
		}
	}
	return b
}

// AllBut is a restriction for Query.TextIDs: every work except these.
func AllBut(ids []int64) *roaring.Bitmap {
	b := roaring.New()
	b.AddRange(0, math.MaxUint32+1)
	b.AndNot(IDSet(ids))
	return b
}
