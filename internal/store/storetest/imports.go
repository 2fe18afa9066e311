package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// importedWork is a prepared work as an importer makes it: chapters with
// the dates they carry, in the series the file names.
func importedWork(pseud int64, title string, posted time.Time, tags map[archive.TagType][]string, series ...store.ImportedSeries) store.ImportedWork {
	w := &archive.Work{Title: title, Tags: tags, Language: "en", CommentPermission: archive.CommentsRegistered, PostedAt: posted}
	cs := []*archive.Chapter{
		{Title: "Start", Body: archive.Rich{Source: title + " begins", Format: archive.FormatHTML, HTML: "<p>" + title + " begins</p>"}, Words: 3, PostedAt: posted},
		{Title: "End", Body: archive.Rich{Source: title + " ends", Format: archive.FormatHTML, HTML: "<p>" + title + " ends</p>"}, Words: 4, PostedAt: posted.Add(48 * time.Hour)},
	}
	return store.ImportedWork{NewWork: store.NewWork{Work: w, Chapters: cs, PseudIDs: []int64{pseud}}, Series: series}
}

// testImports covers ImportWorks, the importers' path: works land with
// their chapters' dates and their series places, all in one transaction,
// and a dry run meets the same rules and leaves nothing.
func testImports(t *testing.T, st store.Store) {
	ctx := context.Background()
	writer, other := newUser(t, st, "importer"), newUser(t, st, "someone")
	pw, po := defaultPseud(t, st, writer), defaultPseud(t, st, other)
	day := time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	existing := &archive.Series{Title: "Old Stories"}
	must(t, st.CreateSeries(ctx, existing, []int64{pw}))
	before := postWork(t, st, writer, "Already Here", basicTags("F"), "x")
	must(t, st.SetSeriesWork(ctx, existing.ID, before.ID, 0))
	theirs := &archive.Series{Title: "Shared Name"}
	must(t, st.CreateSeries(ctx, theirs, []int64{po}))

	// Parts arrive out of order; the third part has no number and goes last.
	ws := []store.ImportedWork{
		importedWork(pw, "Part Two", day.Add(24*time.Hour), basicTags("Imported Fandom", "Brand New Tag"), store.ImportedSeries{Title: "Tales", Position: 2}),
		importedWork(pw, "Part One", day, basicTags("Imported Fandom"), store.ImportedSeries{Title: "Tales", Position: 1}),
		importedWork(pw, "Part Three", day.Add(72*time.Hour), basicTags("Imported Fandom"), store.ImportedSeries{Title: " tales ", Position: 0},
			store.ImportedSeries{Title: "old stories", Position: 1}),
		importedWork(pw, "Mine Too", day, basicTags("Imported Fandom"), store.ImportedSeries{Title: "Shared Name"}, store.ImportedSeries{Title: "  "}),
	}

	// A dry run: every write made and undone. Nothing lands, not even a tag.
	nBefore, err := st.CountWorks(ctx)
	must(t, err)
	must(t, st.ImportWorks(ctx, ws, true))
	if n, _ := st.CountWorks(ctx); n != nBefore {
		t.Fatalf("a dry run left %d works, want %d", n, nBefore)
	}
	if ids, _ := st.SeriesIDsByUser(ctx, writer.ID); len(ids) != 1 {
		t.Fatalf("a dry run left series: %v", ids)
	}
	if _, err := st.TagByName(ctx, archive.TypeFreeform, "Brand New Tag"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a dry run left a tag: %v", err)
	}
	if sr, _ := st.SeriesByID(ctx, existing.ID); len(sr.Works) != 1 {
		t.Fatalf("a dry run changed a series: %+v", sr.Works)
	}

	// The real import, as fresh works (the dry run's ids meant nothing).
	ws = []store.ImportedWork{
		importedWork(pw, "Part Two", day.Add(24*time.Hour), basicTags("Imported Fandom", "Brand New Tag"), store.ImportedSeries{Title: "Tales", Position: 2}),
		importedWork(pw, "Part One", day, basicTags("Imported Fandom"), store.ImportedSeries{Title: "Tales", Position: 1}),
		importedWork(pw, "Part Three", day.Add(72*time.Hour), basicTags("Imported Fandom"), store.ImportedSeries{Title: " tales ", Position: 0},
			store.ImportedSeries{Title: "old stories", Position: 1}),
		importedWork(pw, "Mine Too", day, basicTags("Imported Fandom"), store.ImportedSeries{Title: "Shared Name"}, store.ImportedSeries{Title: "  "}),
	}
	must(t, st.ImportWorks(ctx, ws, false))
	if n, _ := st.CountWorks(ctx); n != nBefore+4 {
		t.Fatalf("%d works after the import, want %d", n, nBefore+4)
	}
	two, one, three, mine := ws[0].Work, ws[1].Work, ws[2].Work, ws[3].Work
	for _, w := range []*archive.Work{two, one, three, mine} {
		if w.ID == 0 {
			t.Fatalf("imported work %q has no id", w.Title)
		}
	}

	// Each work keeps the dates its chapters carry, and derives its own.
	got, err := st.Work(ctx, two.ID)
	must(t, err)
	if got.Title != "Part Two" || got.ChaptersPosted != 2 || got.Words != 7 || !got.PostedAt.Equal(day.Add(24*time.Hour)) ||
		!got.UpdatedAt.Equal(day.Add(72*time.Hour)) || len(got.Creators) != 1 || got.Creators[0].PseudID != pw {
		t.Fatalf("imported work = %+v", got)
	}
	if ff := got.Tags[archive.TypeFreeform]; !slices.Equal(ff, []string{"Brand New Tag"}) {
		t.Fatalf("imported tags = %v", got.Tags)
	}
	if tag, err := st.TagByName(ctx, archive.TypeFreeform, "brand new tag"); err != nil || tag.Canonical {
		t.Fatalf("an imported tag must be new and unwrangled: %+v, %v", tag, err)
	}
	chs, err := st.Chapters(ctx, two.ID, true)
	must(t, err)
	if len(chs) != 2 || !chs[0].PostedAt.Equal(day.Add(24*time.Hour)) || !chs[1].PostedAt.Equal(day.Add(72*time.Hour)) ||
		chs[1].Title != "End" || chs[1].Body.HTML != "<p>Part Two ends</p>" || chs[1].Position != 2 {
		t.Fatalf("imported chapters = %+v %+v", chs[0], chs[1])
	}
	if ids, err := st.SearchText(ctx, store.TextQuery{Terms: []string{"begins"}}); err != nil || len(ids) != 4 {
		t.Fatalf("imported works found by their text: %v, %v", ids, err)
	}

	// Series: one "Tales" (titles match whatever their case and spaces),
	// parts in order; the account's own "Old Stories" gets part three at
	// its number; another account's series of the same name is not used.
	seriesOf := func(w *archive.Work) []archive.SeriesRef {
		t.Helper()
		refs, err := st.SeriesOfWorks(ctx, []int64{w.ID})
		must(t, err)
		return refs[w.ID]
	}
	refs := seriesOf(one)
	if len(refs) != 1 || refs[0].Title != "Tales" {
		t.Fatalf("series of part one = %+v", refs)
	}
	tales, err := st.SeriesByID(ctx, refs[0].ID)
	must(t, err)
	var order []int64
	for _, e := range tales.Works {
		order = append(order, e.WorkID)
	}
	if !slices.Equal(order, []int64{one.ID, two.ID, three.ID}) || tales.Works[2].Position != 3 || !tales.HasCreatorUser(writer.ID) {
		t.Fatalf("Tales = %v (want %v) %+v", order, []int64{one.ID, two.ID, three.ID}, tales)
	}
	old, err := st.SeriesByID(ctx, existing.ID)
	must(t, err)
	if len(old.Works) != 2 || old.Works[0].WorkID != three.ID || old.Works[1].WorkID != before.ID || old.Works[1].Position != 2 {
		t.Fatalf("Old Stories = %+v, want part three first", old.Works)
	}
	if refs := seriesOf(mine); len(refs) != 1 || refs[0].ID == theirs.ID || refs[0].Title != "Shared Name" {
		t.Fatalf("series of a work naming another account's series title = %+v", refs)
	}
	if sr, _ := st.SeriesByID(ctx, theirs.ID); len(sr.Works) != 0 {
		t.Fatalf("another account's series was given works: %+v", sr.Works)
	}
	if ids, _ := st.SeriesIDsByUser(ctx, writer.ID); len(ids) != 3 {
		t.Fatalf("the writer's series = %v, want 3 (Old Stories, Tales, Shared Name)", ids)
	}

	// A second file adds to the same series.
	four := importedWork(pw, "Part Four", day.Add(96*time.Hour), basicTags("Imported Fandom"), store.ImportedSeries{Title: "TALES", Position: 4})
	must(t, st.ImportWorks(ctx, []store.ImportedWork{four}, false))
	if refs := seriesOf(four.Work); len(refs) != 1 || refs[0].ID != tales.ID || refs[0].Position != 4 {
		t.Fatalf("series of a later part = %+v, want Tales at 4", refs)
	}

	// One transaction: a bad work anywhere leaves nothing of the file.
	n, _ := st.CountWorks(ctx)
	good := importedWork(pw, "Good", day, basicTags("F", "Only In A Failed File"), store.ImportedSeries{Title: "Failed Series"})
	bad := importedWork(1<<40, "Bad", day, basicTags("F"))
	if err := st.ImportWorks(ctx, []store.ImportedWork{good, bad}, false); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a work by a missing pseud: %v, want ErrNotFound", err)
	}
	if m, _ := st.CountWorks(ctx); m != n {
		t.Fatalf("a failed import left %d works", m-n)
	}
	if ids, _ := st.SeriesIDsByUser(ctx, writer.ID); len(ids) != 3 {
		t.Fatalf("a failed import left a series: %v", ids)
	}
	if _, err := st.TagByName(ctx, archive.TypeFreeform, "Only In A Failed File"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a failed import left a tag: %v", err)
	}
	// The same bad file in a dry run fails the same way.
	if err := st.ImportWorks(ctx, []store.ImportedWork{importedWork(1<<40, "Bad", day, basicTags("F"))}, true); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a dry run of a bad file: %v, want ErrNotFound", err)
	}
	// Nothing to import is no error.
	must(t, st.ImportWorks(ctx, nil, false))
}
