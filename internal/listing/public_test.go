package listing

import (
	"testing"

	"quire/internal/store"
)

func TestPublicWorks(t *testing.T) {
	ix := New(nil)
	for id := int64(1); id <= 10; id++ {
		ix.Put(store.IndexRow{ID: id, Language: "en", PostedAt: 1000, UpdatedAt: 1000 + id,
			Draft: id == 2, Restricted: id == 3, Hidden: id == 4})
	}
	ix.Remove(5)
	all, total := ix.PublicWorks(0, 100)
	if total != 6 || len(all) != 6 || all[0] != (PublicWork{ID: 1, Updated: 1001}) || all[1].ID != 6 || all[5].ID != 10 {
		t.Fatalf("public works %v of %d", all, total)
	}
	page, total := ix.PublicWorks(4, 4)
	if total != 6 || len(page) != 2 || page[0].ID != 9 || page[1].ID != 10 {
		t.Fatalf("from the 5th: %v", page)
	}
	if page, _ := ix.PublicWorks(6, 4); len(page) != 0 {
		t.Fatalf("past the end: %v", page)
	}
	for id, want := range map[int64]bool{1: true, 2: false, 3: false, 4: false, 5: false, 6: true, 11: false, 0: false, -1: false} {
		if got := ix.IsPublic(id); got != want {
			t.Errorf("IsPublic(%d) = %v", id, got)
		}
	}
	// A change shows at once.
	ix.Put(store.IndexRow{ID: 6, Language: "en", PostedAt: 1000, UpdatedAt: 2000, Hidden: true})
	if ix.IsPublic(6) {
		t.Error("a work hidden since is still public")
	}
	if _, total := ix.PublicWorks(0, 1); total != 5 {
		t.Errorf("%d public after hiding one", total)
	}
}
