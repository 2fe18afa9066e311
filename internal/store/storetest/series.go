package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"quire/internal/archive"
	"quire/internal/store"
)

func testSeriesAndPseuds(t *testing.T, st store.Store) {
	ctx := context.Background()
	u := newUser(t, st, "sp")
	other := newUser(t, st, "spo")
	def := defaultPseud(t, st, u)
	w1 := postWork(t, st, u, "One", basicTags("F"), "a")
	w2 := postWork(t, st, u, "Two", basicTags("F"), "b")
	p, err := st.CreatePseud(ctx, u.ID, "Quill Name")
	must(t, err)
	if _, err := st.CreatePseud(ctx, other.ID, "quill name"); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("taken pseud: %v", err)
	}
	must(t, st.SetWorkCreators(ctx, w1.ID, []int64{p.ID}))
	ids, err := st.WorkIDsByPseud(ctx, p.ID)
	must(t, err)
	if !slices.Equal(ids, []int64{w1.ID}) {
		t.Fatalf("works by pseud %v", ids)
	}
	got, err := st.Work(ctx, w1.ID)
	must(t, err)
	if len(got.Creators) != 1 || got.Creators[0].Pseud != "Quill Name" {
		t.Fatalf("byline %+v", got.Creators)
	}

	sr := &archive.Series{Title: "Saga"}
	must(t, st.CreateSeries(ctx, sr, []int64{p.ID}))
	must(t, st.SetSeriesWork(ctx, sr.ID, w2.ID, 0))
	must(t, st.SetSeriesWork(ctx, sr.ID, w1.ID, 1))
	got2, err := st.SeriesByID(ctx, sr.ID)
	must(t, err)
	if len(got2.Works) != 2 || got2.Works[0].WorkID != w1.ID || got2.Works[1].Position != 2 || !got2.HasCreatorUser(u.ID) {
		t.Fatalf("series %+v", got2)
	}
	refs, err := st.SeriesOfWorks(ctx, []int64{w1.ID, w2.ID})
	must(t, err)
	if len(refs[w2.ID]) != 1 || refs[w2.ID][0].Position != 2 || refs[w2.ID][0].Title != "Saga" {
		t.Fatalf("refs %+v", refs)
	}

	// Deleting the pseud credits its work and series to the default pseud.
	changed, err := st.DeletePseud(ctx, p.ID)
	must(t, err)
	if !slices.Equal(changed, []int64{w1.ID}) {
		t.Fatalf("changed %v", changed)
	}
	got, err = st.Work(ctx, w1.ID)
	must(t, err)
	if len(got.Creators) != 1 || got.Creators[0].PseudID != def {
		t.Fatalf("byline after delete %+v", got.Creators)
	}
	got2, err = st.SeriesByID(ctx, sr.ID)
	must(t, err)
	if len(got2.Creators) != 1 || got2.Creators[0].PseudID != def {
		t.Fatalf("series creators after delete %+v", got2.Creators)
	}
	if _, err := st.DeletePseud(ctx, def); err == nil {
		t.Fatal("deleted the default pseud")
	}

	// A deleted work leaves its series without a gap.
	must(t, st.DeleteWork(ctx, w1.ID))
	got2, err = st.SeriesByID(ctx, sr.ID)
	must(t, err)
	if len(got2.Works) != 1 || got2.Works[0].WorkID != w2.ID || got2.Works[0].Position != 1 {
		t.Fatalf("after work delete %+v", got2.Works)
	}
	must(t, st.DeleteSeries(ctx, sr.ID))
	if _, err := st.SeriesByID(ctx, sr.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("deleted series: %v", err)
	}
}
