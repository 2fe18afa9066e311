package storetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

func testCollections(t *testing.T, st store.Store) {
	ctx := context.Background()
	owner := newUser(t, st, "owner")
	helper := newUser(t, st, "helper")
	writer := newUser(t, st, "writer")
	at := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

	fest := &archive.Collection{Name: "Yule_Fest", Title: "Yule Fest", Description: rich("<p>Gifts</p>"), Rules: rich("<p>Be kind</p>"),
		Open: true, Moderated: true, Anonymous: true, Unrevealed: true, CreatedAt: at, UpdatedAt: at}
	must(t, st.CreateCollection(ctx, fest, owner.ID))
	if fest.ID == 0 {
		t.Fatal("no id")
	}
	dup := &archive.Collection{Name: "yule_fest", Title: "Again", CreatedAt: at, UpdatedAt: at}
	if err := st.CreateCollection(ctx, dup, owner.ID); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("a name taken in another case: %v", err)
	}
	sub := &archive.Collection{Name: "Yule_Fest_Art", Title: "Yule Art", ParentID: fest.ID, Open: true, CreatedAt: at, UpdatedAt: at}
	must(t, st.CreateCollection(ctx, sub, owner.ID))

	got, err := st.CollectionByName(ctx, "YULE_FEST")
	must(t, err)
	if got.ID != fest.ID || got.Title != "Yule Fest" || got.Description.HTML != "<p>Gifts</p>" || !got.Open || !got.Moderated || !got.Anonymous || !got.Unrevealed ||
		!got.CreatedAt.Equal(at) || len(got.Maintainers) != 1 || got.Maintainers[0].UserName != "owner" || got.Maintainers[0].Role != archive.CollectionOwner {
		t.Fatalf("collection %+v", got)
	}
	if s, err := st.CollectionByID(ctx, sub.ID); err != nil || s.Parent != "Yule_Fest" || s.ParentID != fest.ID {
		t.Fatalf("sub-collection %+v %v", s, err)
	}
	if _, err := st.CollectionByName(ctx, "nope"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("missing collection: %v", err)
	}
	tree, err := st.CollectionTree(ctx, fest.ID)
	must(t, err)
	if !slices.Equal(tree, []int64{fest.ID, sub.ID}) {
		t.Fatalf("tree %v", tree)
	}

	// Browse: by text, by maintainer, by parent, paged.
	list, total, err := st.ListCollections(ctx, store.CollectionQuery{Text: "art"})
	must(t, err)
	if total != 1 || len(list) != 1 || list[0].Name != "Yule_Fest_Art" {
		t.Fatalf("search 'art': %d %+v", total, list)
	}
	list, total, err = st.ListCollections(ctx, store.CollectionQuery{Text: "100%_"})
	must(t, err)
	if total != 0 || len(list) != 0 {
		t.Fatalf("LIKE wildcards match literally: %d", total)
	}
	list, total, err = st.ListCollections(ctx, store.CollectionQuery{Limit: 1, Offset: 1})
	must(t, err)
	if total != 2 || len(list) != 1 || list[0].Name != "Yule_Fest" { // by title: "Yule Art" first
		t.Fatalf("second page: %d %+v", total, list)
	}
	list, _, err = st.ListCollections(ctx, store.CollectionQuery{ParentID: fest.ID})
	must(t, err)
	if len(list) != 1 || list[0].ID != sub.ID {
		t.Fatalf("children %+v", list)
	}

	// Maintainers: add, change, never lose the last owner.
	must(t, st.SetMaintainer(ctx, fest.ID, helper.ID, archive.CollectionModerator))
	list, _, err = st.ListCollections(ctx, store.CollectionQuery{MaintainerID: helper.ID})
	must(t, err)
	if len(list) != 1 || list[0].ID != fest.ID || len(list[0].Maintainers) != 2 {
		t.Fatalf("helper's collections %+v", list)
	}
	var ve *archive.ValidationError
	if err := st.SetMaintainer(ctx, fest.ID, owner.ID, ""); !errors.As(err, &ve) {
		t.Fatalf("removing the last owner: %v", err)
	}
	if err := st.SetMaintainer(ctx, fest.ID, owner.ID, archive.CollectionModerator); !errors.As(err, &ve) {
		t.Fatalf("demoting the last owner: %v", err)
	}
	must(t, st.SetMaintainer(ctx, fest.ID, helper.ID, archive.CollectionOwner))
	// Two owners removing each other at once leave one.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, u := range []int64{owner.ID, helper.ID} {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = st.SetMaintainer(ctx, fest.ID, u, "") }()
	}
	wg.Wait()
	got, err = st.CollectionByID(ctx, fest.ID)
	must(t, err)
	if owners := countRole(got, archive.CollectionOwner); owners != 1 {
		t.Fatalf("after a removal race: %d owners (%v)", owners, errs)
	}
	if !got.IsOwner(owner.ID) {
		must(t, st.SetMaintainer(ctx, fest.ID, owner.ID, archive.CollectionOwner))
	}

	// Items: the collection's settings at the time; state changes; the
	// index row learns approved membership and the hiding.
	w := postWork(t, st, writer, "Snowbound", basicTags("Winter Tales"), "Cold night")
	must(t, st.PutCollectionItem(ctx, fest.ID, w.ID, archive.ItemPending))
	if err := st.PutCollectionItem(ctx, fest.ID, w.ID, archive.ItemPending); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("adding twice: %v", err)
	}
	if err := st.PutCollectionItem(ctx, fest.ID, 99999, archive.ItemPending); err == nil {
		t.Fatal("adding a missing work")
	}
	row, err := st.IndexRow(ctx, w.ID)
	must(t, err)
	if len(row.Collections) != 0 || !row.Anonymous || !row.Unrevealed {
		t.Fatalf("pending item row %+v", row)
	}
	ww, err := st.Work(ctx, w.ID)
	must(t, err)
	if !ww.Anonymous || !ww.Unrevealed {
		t.Fatalf("work flags %+v", ww)
	}
	// An anonymous work's creators are not searchable.
	ids, err := st.SearchText(ctx, store.TextQuery{Terms: []string{"writer"}})
	must(t, err)
	if slices.Contains(ids, w.ID) {
		t.Fatal("the anonymous work is found by its creator's name")
	}
	must(t, st.SetCollectionItemState(ctx, fest.ID, w.ID, archive.ItemApproved))
	row, err = st.IndexRow(ctx, w.ID)
	must(t, err)
	if !slices.Equal(row.Collections, []int64{fest.ID}) {
		t.Fatalf("approved item row %+v", row)
	}
	var streamed store.IndexRow
	must(t, st.IndexRows(ctx, func(r store.IndexRow) error {
		if r.ID == w.ID {
			streamed = r
		}
		return nil
	}))
	if !slices.Equal(streamed.Collections, row.Collections) || streamed.Anonymous != row.Anonymous || streamed.Unrevealed != row.Unrevealed {
		t.Fatalf("IndexRows %+v, IndexRow %+v", streamed, row)
	}
	items, total, err := st.CollectionItems(ctx, fest.ID, archive.ItemApproved, 0, 10)
	must(t, err)
	if total != 1 || len(items) != 1 || items[0].WorkID != w.ID || items[0].CollectionName != "Yule_Fest" || !items[0].Anonymous {
		t.Fatalf("approved items %d %+v", total, items)
	}
	if _, total, _ := st.CollectionItems(ctx, fest.ID, archive.ItemPending, 0, 10); total != 0 {
		t.Fatalf("pending items: %d", total)
	}
	mine, err := st.UserCollectionItems(ctx, writer.ID, "")
	must(t, err)
	if len(mine) != 1 || mine[0].CollectionID != fest.ID {
		t.Fatalf("the writer's items %+v", mine)
	}
	if ok, err := st.MaintainsWork(ctx, owner.ID, w.ID); err != nil || !ok {
		t.Fatalf("owner maintains the work: %v %v", ok, err)
	}
	if ok, _ := st.MaintainsWork(ctx, writer.ID, w.ID); ok {
		t.Fatal("the writer maintains nothing")
	}

	// Reveal one item's work, then every creator.
	must(t, st.RevealItem(ctx, fest.ID, w.ID, true, false))
	if it, _ := st.CollectionItem(ctx, fest.ID, w.ID); it.Unrevealed || !it.Anonymous {
		t.Fatalf("after revealing the work %+v", it)
	}
	revealed, err := st.RevealCollection(ctx, fest.ID, false, true)
	must(t, err)
	if !slices.Equal(revealed, []int64{w.ID}) {
		t.Fatalf("revealed %v", revealed)
	}
	if again, err := st.RevealCollection(ctx, fest.ID, false, true); err != nil || len(again) != 0 {
		t.Fatalf("revealing the creators again changed %v (%v)", again, err)
	}
	if c, _ := st.CollectionByID(ctx, fest.ID); c.Anonymous || !c.Unrevealed {
		t.Fatalf("collection after revealing creators %+v", c)
	}
	ids, err = st.SearchText(ctx, store.TextQuery{Terms: []string{"writer"}})
	must(t, err)
	if !slices.Contains(ids, w.ID) {
		t.Fatal("a revealed work is not found by its creator's name")
	}
	if ww, _ := st.Work(ctx, w.ID); ww.Anonymous || ww.Unrevealed {
		t.Fatalf("revealed work flags %+v", ww)
	}
	wcs, err := st.WorkCollections(ctx, w.ID)
	must(t, err)
	if len(wcs) != 1 || wcs[0].CollectionTitle != "Yule Fest" {
		t.Fatalf("work collections %+v", wcs)
	}

	// Update, then delete: the work stays and leaves the collection.
	got.Title, got.Open, got.UpdatedAt = "Yule Fest 2024", false, at.Add(time.Hour)
	must(t, st.UpdateCollection(ctx, got))
	if c, _ := st.CollectionByID(ctx, fest.ID); c.Title != "Yule Fest 2024" || c.Open {
		t.Fatalf("after update %+v", c)
	}
	must(t, st.DeleteCollectionItem(ctx, fest.ID, w.ID))
	if err := st.DeleteCollectionItem(ctx, fest.ID, w.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("removing twice: %v", err)
	}
	must(t, st.PutCollectionItem(ctx, fest.ID, w.ID, archive.ItemInvited))
	gone, err := st.DeleteCollection(ctx, fest.ID)
	must(t, err)
	if !slices.Equal(gone, []int64{w.ID}) {
		t.Fatalf("deleted collection's works %v", gone)
	}
	if _, err := st.Work(ctx, w.ID); err != nil {
		t.Fatalf("the work went with the collection: %v", err)
	}
	if s, _ := st.CollectionByID(ctx, sub.ID); s.ParentID != 0 {
		t.Fatalf("orphaned sub-collection keeps its parent %+v", s)
	}
}

func countRole(c *archive.Collection, role string) int {
	n := 0
	for _, m := range c.Maintainers {
		if m.Role == role {
			n++
		}
	}
	return n
}

func testGifts(t *testing.T, st store.Store) {
	ctx := context.Background()
	giver := newUser(t, st, "giver")
	to := newUser(t, st, "giftee")
	w := postWork(t, st, giver, "Present", basicTags("Winter Tales"), "Text")
	must(t, st.SetWorkGifts(ctx, w.ID, []archive.Gift{{Name: "giftee", UserID: to.ID}, {Name: "A Friend"}}))
	got, err := st.Work(ctx, w.ID)
	must(t, err)
	if len(got.Gifts) != 2 || got.Gifts[0].UserID != to.ID || got.Gifts[1].Name != "A Friend" || got.Gifts[1].UserID != 0 {
		t.Fatalf("gifts %+v", got.Gifts)
	}
	ids, err := st.GiftWorkIDs(ctx, to.ID)
	must(t, err)
	if !slices.Equal(ids, []int64{w.ID}) {
		t.Fatalf("gift works %v", ids)
	}
	must(t, st.RefuseGift(ctx, w.ID, to.ID))
	if err := st.RefuseGift(ctx, w.ID, to.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("refusing twice: %v", err)
	}
	// Giving it again does not bring a refused name back.
	must(t, st.SetWorkGifts(ctx, w.ID, []archive.Gift{{Name: "giftee", UserID: to.ID}, {Name: "Another"}}))
	got, err = st.Work(ctx, w.ID)
	must(t, err)
	if len(got.Gifts) != 1 || got.Gifts[0].Name != "Another" {
		t.Fatalf("after refusal %+v", got.Gifts)
	}
	if ids, _ := st.GiftWorkIDs(ctx, to.ID); len(ids) != 0 {
		t.Fatalf("refused gifts listed %v", ids)
	}
}
