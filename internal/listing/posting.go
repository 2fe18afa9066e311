package listing

import (
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
)

// postingBitmapAt is the size at which a tag's works move from a sorted
// list to a bitmap. Most tags are rare; a list costs 4 bytes a work, while
// a bitmap spends a container (tens of bytes) on every 65,536-id range the
// tag's works touch.
const postingBitmapAt = 4096

// posting is the set of works carrying one tag.
type posting struct {
	ids []uint32 // sorted, while small
	bm  *roaring.Bitmap
}

func (p *posting) add(id uint32) {
	if p.bm != nil {
		p.bm.Add(id)
		return
	}
	if n := len(p.ids); n == 0 || p.ids[n-1] < id {
		p.ids = append(p.ids, id)
	} else if i, found := slices.BinarySearch(p.ids, id); !found {
		p.ids = slices.Insert(p.ids, i, id)
	}
	if len(p.ids) > postingBitmapAt {
		p.bm = roaring.BitmapOf(p.ids...)
		p.ids = nil
	}
}

func (p *posting) remove(id uint32) {
	if p.bm != nil {
		p.bm.Remove(id)
		return
	}
	if i, found := slices.BinarySearch(p.ids, id); found {
		p.ids = slices.Delete(p.ids, i, i+1)
	}
}

// bitmap returns the set as a bitmap (a new one for a small list; callers
// must not change it).
func (p *posting) bitmap() *roaring.Bitmap {
	if p.bm != nil {
		return p.bm
	}
	return roaring.BitmapOf(p.ids...)
}

func (p *posting) intersects(b *roaring.Bitmap) bool {
	if p.bm != nil {
		return p.bm.Intersects(b)
	}
	for _, id := range p.ids {
		if b.Contains(id) {
			return true
		}
	}
	return false
}

func (p *posting) andCardinality(b *roaring.Bitmap) int {
	if p.bm != nil {
		return int(p.bm.AndCardinality(b))
	}
	n := 0
	for _, id := range p.ids {
		if b.Contains(id) {
			n++
		}
	}
	return n
}

// removeFrom takes the set's works out of b.
func (p *posting) removeFrom(b *roaring.Bitmap) {
	if p.bm != nil {
		b.AndNot(p.bm)
		return
	}
	for _, id := range p.ids {
		b.Remove(id)
	}
}

// trim gives back the spare capacity growth left (after a build): a
// list's array and a bitmap's containers are copied at their exact size.
func (p *posting) trim() {
	if p.bm != nil {
		p.bm.RunOptimize()
		p.bm = p.bm.Clone()
	} else if cap(p.ids) > len(p.ids) {
		p.ids = slices.Clone(p.ids)
	}
}

func (p *posting) bitmapLen() uint64 {
	if p.bm != nil {
		return p.bm.GetCardinality()
	}
	return uint64(len(p.ids))
}
