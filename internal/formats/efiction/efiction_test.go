package efiction_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/dump"
	"quire/internal/formats/efiction"
	"quire/internal/store"
	"quire/internal/store/sqlstore"
	"quire/internal/store/testdb"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, name string) *efiction.Dump {
	t.Helper()
	d, err := efiction.ReadFile("testdata/"+name, "auto")
	must(t, err)
	return d
}

var now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

func exportLines(t *testing.T, st store.Dumps) string {
	t.Helper()
	var b bytes.Buffer
	_, err := dump.Export(context.Background(), st, &b, dump.ExportOptions{})
	must(t, err)
	return b.String()
}

func TestImportUTF8(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t)
	// A work already in the archive, and an account named as one author:
	// the import must take new ids and another name.
	u := &archive.User{Name: "ivy_moss", Email: "someone@example.test"}
	must(t, st.CreateUser(ctx, u))
	ps, err := st.Pseuds(ctx, u.ID)
	must(t, err)
	w, cs, err := archive.PrepareWork(archive.WorkInput{Title: "Already Here", Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone},
		Fandoms: []string{"Original Work"}, Chapters: []archive.ChapterInput{{Body: "text"}}}, now())
	must(t, err)
	must(t, st.CreateWorks(ctx, []store.NewWork{{Work: w, Chapters: cs, PseudIDs: []int64{ps[0].ID}}}))

	rep, err := efiction.Import(ctx, st, read(t, "utf8.sql"), efiction.Options{Now: now, URLPrefix: "/fanfiction",
		RatingMap: map[string]string{"sparrow": archive.RatingTeen}})
	must(t, err)
	if got := rep.String(); got != "3 users, 3 works (1 drafts), 4 chapters, 1 series, 2 comments, 11 redirects, 2 reviews skipped" {
		t.Errorf("report %q", got)
	}
	if strings.Join(rep.NoEmail, ",") != "Tomas_Quill" || !strings.Contains(strings.Join(rep.Renamed, ","), "ivy_moss → ivy_moss_2") {
		t.Errorf("renamed %q, no e-mail %q", rep.Renamed, rep.NoEmail)
	}
	out := exportLines(t, st)
	for _, want := range []string{
		`"name":"Wren_Hollis","email":"wren@example.test","roles":[],"pseuds":[{"name":"Wren_Hollis","default":true,"created_at":"2004-05-06T07:08:09Z"},{"name":"Wren Hollis","default":false,`,
		`"title":"The Harbor & the Lamp","creators":["Wren Hollis","ivy_moss_2"],"summary":"<p>Mara keeps the light.<br>\nNobody asks why.</p>`,
		`"notes":"<p>Written for a friend; thanks to &#34;the crew&#34;.</p>`,
		`"rating":"Teen And Up Audiences","warnings":["Major Character Death"],"categories":[],"fandoms":["Lantern Tales: The Harbor Years"],"relationships":[],"characters":["Mara Vell","The Keeper O'Dell"],"freeforms":["Adventure"]`,
		`"chapters_posted":2,"chapters_expected":2,"complete":true`,
		`"posted_at":"2006-02-09T22:21:35Z","updated_at":"2006-03-01T10:00:00Z"`,
		`"hits":120,"kudos":0,"comments":2`,
		`"title":"First Light","summary":"","summary_source":"","summary_format":"html","notes":"<p>Chapter notes here.</p>`,
		`"end_notes":"<p>End notes: more soon.</p>`,
		`"body":"<p>The harbor was quiet.</p>\n\n<p>Mara lit the lamp at dusk, as always.</p>`,
		`She climbed the stairs; the wind \\ howled.<br>`,
		`"title":"Orchard Notes"`, `"rating":"Teen And Up Audiences","warnings":["Creator Chose Not To Use Archive Warnings"]`, `"freeforms":["Hurt/Comfort","Mild Peril"]`,
		`"fandoms":["Clockwork Orchard; Revised"]`, `"chapters_expected":null`,
		`"title":"Waiting Room"`, `"draft":true`,
		`{"type":"tag","name":"Lantern Tales: The Harbor Years","tag_type":"fandom","canonical":false,"synonym_of":null,"meta":["Lantern Tales"]`,
		`{"type":"tag","name":"Mara Vell","tag_type":"character","canonical":false,"synonym_of":null,"meta":[],"parent_fandoms":["Lantern Tales"]}`,
		`{"type":"series","id":1,"title":"Lights Along the Coast","creators":["Wren Hollis"]`, `"works":[2,3]`,
		`"user":"ivy_moss_2","pseud":"ivy_moss_2","name":"","email":"","body":"<p>Lovely second night!</p>`,
		`"user":null,"pseud":null,"name":"A Passing Reader","email":"","body":"<p>So calm.</p>\n\n<p><i>Author&#39;s Response: Thank you!</i></p>`,
		`{"type":"redirect","from":"/fanfiction/viewstory.php?sid=10","to":"/works/2"}`,
		`{"type":"redirect","from":"/fanfiction/viewstory.php?sid=10&chapter=2","to":"/works/2/chapters/3"}`,
		`{"type":"redirect","from":"/fanfiction/viewuser.php?uid=2","to":"/users/Tomas_Quill"}`,
		`{"type":"redirect","from":"/fanfiction/viewseries.php?seriesid=5","to":"/series/1"}`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	// The source keeps what the author wrote; the HTML pages show has no script.
	if strings.Count(out, "<script") != 1 || !strings.Contains(out, `as always.<script>alert(1)</script>","format":"html"`) || strings.Contains(out, "5f4dcc3b") {
		t.Error("a script or a password hash came through")
	}
	// The accounts have no password: their owners claim them by mail.
	wren, err := st.UserByName(ctx, "Wren_Hollis")
	must(t, err)
	if wren.PasswordHash != "" {
		t.Error("an imported account has a password")
	}
	to, err := st.RedirectTarget(ctx, "/fanfiction/viewstory.php?sid=11")
	if err != nil || to != "/works/3" {
		t.Errorf("redirect: %q %v", to, err)
	}
	// A second import of the same dump clashes on its redirects and
	// changes nothing.
	before := exportLines(t, st)
	_, err = efiction.Import(ctx, st, read(t, "utf8.sql"), efiction.Options{Now: now, URLPrefix: "/fanfiction"})
	if err == nil || !strings.Contains(err.Error(), "already in this archive") {
		t.Errorf("second import: %v", err)
	}
	if exportLines(t, st) != before {
		t.Error("a failed import changed the archive")
	}
	// Under another prefix it lands beside the first.
	_, err = efiction.Import(ctx, st, read(t, "utf8.sql"), efiction.Options{Now: now, URLPrefix: "/other"})
	must(t, err)
}

func TestImportLatin1(t *testing.T) {
	st := testdb.Open(t)
	rep, err := efiction.Import(context.Background(), st, read(t, "latin1.sql"), efiction.Options{Now: now})
	must(t, err)
	if rep.Works != 1 || rep.Users != 1 {
		t.Fatalf("report %+v", rep)
	}
	out := exportLines(t, st)
	for _, want := range []string{`"title":"L'été à Noël"`, `"Un résumé — « court ».`, `"fandoms":["Contes de la Forêt"]`, `naïve façade.</p>`,
		`"rating":"Not Rated"`, `"name":"Noemie"`, `{"name":"Noémie","default":false`, `"hits":42`} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %s", want)
		}
	}
}

// Under --strict a dump with one bad row changes nothing.
func TestBrokenDumpChangesNothing(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"broken.sql", "story 2 (Orphan Story): its author 99 is not in the authors table"},
		{"truncated.sql", "line 2: a string is never closed"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			st := testdb.Open(t)
			before := exportLines(t, st)
			d, err := efiction.ReadFile("testdata/"+tc.file, "auto")
			if err == nil {
				_, err = efiction.Import(context.Background(), st, d, efiction.Options{Now: now, Strict: true})
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want …%s…", err, tc.want)
			}
			if after := exportLines(t, st); after != before {
				t.Errorf("the archive changed:\n%s", after)
			}
		})
	}
}

// Two rows of a table with one id: under --strict the dump is refused with every such id
// named, rather than one row silently winning, and nothing is written.
func TestDuplicateIDsRefused(t *testing.T) {
	const base = "CREATE TABLE `fanfiction_authors` (`uid` int, `penname` varchar(200), `email` varchar(200), `date` datetime);\n" +
		"INSERT INTO `fanfiction_authors` VALUES (1,'Solo Writer','solo@example.test','2010-01-01 00:00:00')%s;\n" +
		"CREATE TABLE `fanfiction_stories` (`sid` int, `title` varchar(200), `summary` text, `catid` varchar(100), `rid` varchar(25), `date` datetime, `uid` int, `validated` char(1), `completed` char(1));\n" +
		"INSERT INTO `fanfiction_stories` VALUES (1,'First Story','One.','0','0','2010-02-02 00:00:00',1,'1','1'),(2,'Second Story','Two.','0','0','2010-02-03 00:00:00',1,'1','1')%s;\n" +
		"CREATE TABLE `fanfiction_chapters` (`chapid` int, `title` varchar(250), `inorder` int, `storytext` text, `sid` int, `uid` int);\n" +
		"INSERT INTO `fanfiction_chapters` VALUES (1,'One',1,'Some text.',1,1),(2,'One',1,'Other text.',2,1)%s;\n"
	for _, tc := range []struct {
		name                    string
		authors, stories, chaps string
		want                    []string
	}{
		{"stories", "", ",(2,'Second Story Again','Two.','0','0','2010-02-04 00:00:00',1,'1','1')", "",
			[]string{"fanfiction_stories: sid 2 in rows 2, 3"}},
		{"chapters", "", "", ",(1,'Again',2,'More text.',1,1)",
			[]string{"fanfiction_chapters: chapid 1 in rows 1, 3"}},
		{"authors", ",(1,'Someone Else','else@example.test','2010-01-01 00:00:00')", "", "",
			[]string{"fanfiction_authors: uid 1 in rows 1, 2"}},
		{"several", "", ",(1,'Copy','x','0','0','2010-02-04 00:00:00',1,'1','1'),(1,'Copy 2','x','0','0','2010-02-04 00:00:00',1,'1','1')", ",(2,'Again',2,'More text.',2,1)",
			[]string{"fanfiction_stories: sid 1 in rows 1, 3, 4", "fanfiction_chapters: chapid 2 in rows 2, 3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := efiction.ParseDump(fmt.Sprintf(base, tc.authors, tc.stories, tc.chaps))
			must(t, err)
			st := testdb.Open(t)
			before := exportLines(t, st)
			_, err = efiction.Import(context.Background(), st, d, efiction.Options{Now: now, Strict: true})
			if err == nil {
				t.Fatal("a dump with a duplicate id was imported")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the error does not name %q: %v", w, err)
				}
			}
			if exportLines(t, st) != before {
				t.Error("the refused import changed the archive")
			}
		})
	}
	// Without duplicates the same dump imports.
	d, err := efiction.ParseDump(fmt.Sprintf(base, "", "", ""))
	must(t, err)
	rep, err := efiction.Import(context.Background(), testdb.Open(t), d, efiction.Options{Now: now})
	if err != nil || rep.Works != 2 || rep.Chapters != 2 {
		t.Fatalf("the clean dump: %+v %v", rep, err)
	}
}

func TestDryRun(t *testing.T) {
	st := testdb.Open(t)
	before := exportLines(t, st)
	rep, err := efiction.Import(context.Background(), st, read(t, "utf8.sql"), efiction.Options{Now: now, DryRun: true})
	must(t, err)
	if rep.Works != 3 || exportLines(t, st) != before {
		t.Errorf("dry run: %+v", rep)
	}
}

// The import's lines go through our own export and import unchanged.
func TestImportedArchiveRoundTrips(t *testing.T) {
	src := testdb.Open(t)
	_, err := efiction.Import(context.Background(), src, read(t, "utf8.sql"), efiction.Options{Now: now})
	must(t, err)
	a := exportLines(t, src)
	dst := testdb.Open(t)
	_, err = dump.Import(context.Background(), dst, strings.NewReader(a), dump.ImportOptions{})
	must(t, err)
	if b := exportLines(t, dst); a != b {
		t.Errorf("round trip changed the lines:\n%s\n---\n%s", a, b)
	}
}

func TestMapRating(t *testing.T) {
	for in, want := range map[string]string{
		"G": archive.RatingGeneral, "K+": archive.RatingTeen, "PG-13": archive.RatingTeen, "R": archive.RatingMature,
		"NC-17": archive.RatingExplicit, "FRAO": archive.RatingExplicit, "All Ages": archive.RatingGeneral,
		"Teen (13+)": archive.RatingTeen, "Mature Audiences": archive.RatingMature, "Spoons": archive.RatingNotRated,
	} {
		if got := efiction.MapRating(in); got != want {
			t.Errorf("MapRating(%q) = %q, want %q", in, got, want)
		}
	}
	m, err := efiction.ReadRatingMap(strings.NewReader("# mine\nSparrow = teen and up audiences\n\nHawk=Explicit\n"))
	must(t, err)
	if fmt.Sprint(m) != "map[Hawk:Explicit Sparrow:Teen And Up Audiences]" {
		t.Errorf("rating map %v", m)
	}
	if _, err := efiction.ReadRatingMap(strings.NewReader("Sparrow = PG\n")); err == nil {
		t.Error("a rating map naming no Quire rating was accepted")
	}
}

var _ *sqlstore.Store
