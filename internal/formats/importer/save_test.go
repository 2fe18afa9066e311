package importer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/formats/importer"
	"quire/internal/store"
	"quire/internal/store/testdb"
)

func newUser(t *testing.T, st store.Store, name string) *archive.User {
	t.Helper()
	u := &archive.User{Name: name, Email: name + "@example.org", CreatedAt: time.Now().UTC()}
	if err := st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func count(t *testing.T, st store.Store) int {
	t.Helper()
	n, err := st.CountWorks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportFileKeepsDatesSeriesAndOwner(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t)
	u := newUser(t, st, "wren")
	data := read(t, "ao3_multi.html")

	// A dry run checks everything and writes nothing.
	rep, err := importer.ImportFile(ctx, st, u, "ledger.html", data, importer.FileOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.DryRun || rep.Works[0].ID != 0 || rep.Format != importer.FormatAO3HTML || !strings.HasPrefix(rep.String(), "would import") {
		t.Errorf("dry run report: %+v %s", rep, rep)
	}
	if n := count(t, st); n != 0 {
		t.Fatalf("a dry run wrote %d works", n)
	}
	if ids, _ := st.SeriesIDsByUser(ctx, u.ID); len(ids) != 0 {
		t.Fatalf("a dry run wrote series %v", ids)
	}

	rep, err = importer.ImportFile(ctx, st, u, "ledger.html", data, importer.FileOptions{Format: "auto"})
	if err != nil {
		t.Fatal(err)
	}
	m := rep.Works[0]
	if m.ID == 0 || m.Chapters != 3 || !strings.Contains(rep.String(), `"The Lamplighter's Ledger"`) || !strings.Contains(rep.String(), `part 2 of "Harbor Nights"`) {
		t.Fatalf("report: %s", rep)
	}
	w, err := st.Work(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Creators) != 1 || w.Creators[0].UserID != u.ID || w.Creators[0].Pseud != "wren" {
		t.Errorf("creators: %+v", w.Creators)
	}
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	if !w.PostedAt.Equal(day("2019-03-04")) || !w.UpdatedAt.Equal(day("2020-11-15")) {
		t.Errorf("dates: posted %v updated %v", w.PostedAt, w.UpdatedAt)
	}
	if w.Rating() != archive.RatingTeen || w.ChaptersExpected != 0 || w.ChaptersPosted != 3 || w.Complete() {
		t.Errorf("work: %+v", w)
	}
	if got := w.Tags[archive.TypeWarning]; len(got) != 2 || got[0] != archive.WarningChoseNot {
		t.Errorf("warnings: %v", got)
	}
	cs, err := st.Chapters(ctx, w.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 || cs[0].Title != "The First Lamp" || !cs[0].PostedAt.Equal(day("2019-03-04")) || !cs[2].PostedAt.Equal(day("2020-11-15")) ||
		cs[0].Summary.HTML != "<p>The ledger is found.</p>" || cs[0].EndNotes.HTML != "<p>More soon.</p>" {
		t.Errorf("chapters: %+v", cs)
	}
	refs, err := st.SeriesOfWorks(ctx, []int64{w.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(refs[w.ID]) != 2 {
		t.Fatalf("series: %+v", refs)
	}

	// Part 1 of the same series, imported later, goes before part 2 of it
	// and joins the series the first import made.
	part1 := strings.ReplaceAll(string(data), "Part 2 of", "Part 1 of")
	part1 = strings.Replace(part1, "<h1>The Lamplighter's Ledger</h1>", "<h1>The First Ledger</h1>", 1)
	rep, err = importer.ImportFile(ctx, st, u, "first.html", []byte(part1), importer.FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var harbor int64
	for _, r := range refs[w.ID] {
		if r.Title == "Harbor Nights" {
			harbor = r.ID
		}
	}
	sr, err := st.SeriesByID(ctx, harbor)
	if err != nil {
		t.Fatal(err)
	}
	if len(sr.Works) != 2 || sr.Works[0].WorkID != rep.Works[0].ID || sr.Works[1].WorkID != w.ID {
		t.Errorf("series order: %+v", sr.Works)
	}
	if ids, _ := st.SeriesIDsByUser(ctx, u.ID); len(ids) != 2 {
		t.Errorf("series made: %v", ids)
	}
}

func TestImportFileBylinePseudAndDefaults(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t)
	u := newUser(t, st, "penrose")
	if _, err := st.CreatePseud(ctx, u.ID, "Hollis Penrose"); err != nil {
		t.Fatal(err)
	}
	rep, err := importer.ImportFile(ctx, st, u, "vane.txt", read(t, "legacy_header.txt"), importer.FileOptions{Format: importer.FormatText})
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.Work(ctx, rep.Works[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if w.Creators[0].Pseud != "Hollis Penrose" || w.Rating() != archive.RatingTeen {
		t.Errorf("work: %+v", w)
	}
	rep, err = importer.ImportFile(ctx, st, u, "letters.txt", read(t, "legacy_dash.txt"),
		importer.FileOptions{Format: importer.FormatText, Options: importer.Options{Fandom: "Village Letters"}})
	if err != nil {
		t.Fatal(err)
	}
	w, _ = st.Work(ctx, rep.Works[0].ID)
	if w.Title != "Letters" || w.Creators[0].Pseud != "penrose" || w.Rating() != archive.RatingNotRated ||
		w.Tags[archive.TypeWarning][0] != archive.WarningChoseNot || w.Tags[archive.TypeFandom][0] != "Village Letters" {
		t.Errorf("defaults: %+v", w)
	}
}

func TestBrokenFilesChangeNothing(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t)
	u := newUser(t, st, "ash")
	long := "Title: Too Long\nSummary: " + strings.Repeat("word ", 400) + "\n\nSome text."
	for name, c := range map[string]struct {
		format, data, want string
	}{
		"empty":        {importer.FormatText, "  \n\n ", "no chapter text"},
		"not an epub":  {importer.FormatEPUB, "plain text", "not an EPUB"},
		"long summary": {importer.FormatText, long, "summary"},
		"no text html": {importer.FormatHTML, "<p> </p><script>x</script>", "no chapter text"},
	} {
		_, err := importer.ImportFile(ctx, st, u, name, []byte(c.data), importer.FileOptions{Format: c.format})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want …%s…", name, err, c.want)
		}
	}
	if _, err := importer.ImportFile(ctx, st, u, "dump.sql", []byte("CREATE TABLE `fanfiction_stories` (sid int);"), importer.FileOptions{}); err == nil ||
		!strings.Contains(err.Error(), "efiction") {
		t.Errorf("an eFiction dump through auto: %v", err)
	}
	if n := count(t, st); n != 0 {
		t.Fatalf("%d works after broken files", n)
	}
}

// A transaction that fails part-way leaves nothing behind: the second work
// names a pseud that does not exist.
func TestImportWorksIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t)
	u := newUser(t, st, "tide")
	ps, _ := st.Pseuds(ctx, u.ID)
	w, err := importer.Parse(importer.FormatAO3HTML, "a.html", read(t, "ao3_multi.html"), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	good, err := importer.Prepare(w, ps, importer.Options{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	w2, _ := importer.Parse(importer.FormatAO3HTML, "a.html", read(t, "ao3_old.html"), importer.Options{})
	bad, err := importer.Prepare(w2, ps, importer.Options{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	bad.PseudIDs = []int64{987654}
	if err := st.ImportWorks(ctx, []store.ImportedWork{good, bad}, false); err == nil {
		t.Fatal("no error for a missing pseud")
	}
	if n := count(t, st); n != 0 {
		t.Fatalf("%d works after a failed transaction", n)
	}
	if ids, _ := st.SeriesIDsByUser(ctx, u.ID); len(ids) != 0 {
		t.Fatalf("series after a failed transaction: %v", ids)
	}
	if _, err := importer.ImportFile(ctx, st, nil, "x.txt", []byte("x"), importer.FileOptions{}); !errors.Is(err, archive.ErrAuth) {
		t.Errorf("no user: %v", err)
	}
}

// Parts of an AO3 series imported in any order line up by their part
// numbers, and a missing part leaves its number free.
func TestImportSeriesPartsOutOfOrder(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t)
	u := newUser(t, st, "tidewatch")
	part := func(n int) []byte {
		return []byte(`<!DOCTYPE html><html><body><div id="preface"><p class="message">Posted originally on the Archive of Our Own at <a href="https://ao3.example/works/1">x</a>.</p>
<div class="meta"><dl class="tags"><dt>Fandom:</dt><dd><a href="https://ao3.example/tags/x">Lantern Tales</a></dd>
<dt>Series:</dt><dd>Part ` + strconv.Itoa(n) + ` of <a href="https://ao3.example/series/9">Tide Tables</a></dd></dl>
<h1>Tide ` + strconv.Itoa(n) + `</h1><div class="byline">by <a href="https://ao3.example/users/tidewatch">tidewatch</a></div></div></div>
<div id="chapters" class="userstuff"><div class="userstuff"><p>The water rose for the ` + strconv.Itoa(n) + `th time.</p></div></div></body></html>`)
	}
	ids := map[int]int64{}
	for _, n := range []int{3, 5, 2, 1} {
		rep, err := importer.ImportFile(ctx, st, u, "tide.html", part(n), importer.FileOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ids[n] = rep.Works[0].ID
	}
	series, err := st.SeriesIDsByUser(ctx, u.ID)
	if err != nil || len(series) != 1 {
		t.Fatalf("series %v %v", series, err)
	}
	sr, err := st.SeriesByID(ctx, series[0])
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range sr.Works {
		for n, id := range ids {
			if id == e.WorkID {
				got = append(got, fmt.Sprintf("part %d at %d", n, e.Position))
			}
		}
	}
	if strings.Join(got, ", ") != "part 1 at 1, part 2 at 2, part 3 at 3, part 5 at 5" {
		t.Errorf("series order: %s", strings.Join(got, ", "))
	}
}
