package efiction_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"quire/internal/formats/efiction"
	"quire/internal/store/testdb"
)

// A real rescued archive always has rows that cannot become works: a
// story whose author row is gone, a story with no chapters, a second row
// with a taken id. Without --strict the rest lands and the report names
// each row left out and why.
func TestImportSkipsBadRows(t *testing.T) {
	const dump = "CREATE TABLE `fanfiction_authors` (`uid` int, `penname` varchar(200), `email` varchar(200), `date` datetime);\n" +
		"INSERT INTO `fanfiction_authors` VALUES (1,'Solo Writer','solo@example.test','2010-01-01 00:00:00');\n" +
		"CREATE TABLE `fanfiction_stories` (`sid` int, `title` varchar(200), `summary` text, `catid` varchar(100), `rid` varchar(25), `date` datetime, `uid` int, `validated` char(1), `completed` char(1));\n" +
		"INSERT INTO `fanfiction_stories` VALUES (1,'Fine Story','Fine.','0','0','2010-02-02 00:00:00',1,'1','1')," +
		"(2,'Orphan Story','Lost.','0','0','2010-02-03 00:00:00',99,'1','1')," +
		"(3,'Empty Story','Nothing yet.','0','0','2010-02-04 00:00:00',1,'1','0')," +
		"(4,'Second Fine Story','Also fine.','0','0','2010-02-05 00:00:00',1,'1','1')," +
		"(4,'Copy Of Four','Again.','0','0','2010-02-06 00:00:00',1,'1','1');\n" +
		"CREATE TABLE `fanfiction_chapters` (`chapid` int, `title` varchar(250), `inorder` int, `storytext` text, `sid` int, `uid` int);\n" +
		"INSERT INTO `fanfiction_chapters` VALUES (1,'One',1,'Some text.',1,1),(2,'One',1,'Other text.',2,99),(3,'Blank',2,'   ',1,1),(4,'Start',1,'More text.',4,1),(5,'Stray',1,'Stray text.',77,1);\n" +
		"CREATE TABLE `fanfiction_series` (`seriesid` int, `title` varchar(200), `summary` text, `uid` int);\n" +
		"INSERT INTO `fanfiction_series` VALUES (1,'Nobody''s Series','',42);\n"
	d, err := efiction.ParseDump(dump)
	must(t, err)
	st := testdb.Open(t)
	rep, err := efiction.Import(context.Background(), st, d, efiction.Options{Now: now})
	must(t, err)
	if rep.Works != 2 || rep.Chapters != 2 || rep.Series != 0 {
		t.Errorf("report %s", rep)
	}
	want := []string{
		"fanfiction_stories row 5: sid 4 is row 4's too; the first was kept",
		"chapter 5 (Stray): its story 77 is not in the stories table",
		"story 1 (Fine Story): chapter 3 has no text",
		"story 2 (Orphan Story): its author 99 is not in the authors table",
		"story 3 (Empty Story): it has no chapters",
		"series 1 (Nobody's Series): its author 42 is not in the authors table",
	}
	got := strings.Join(rep.Skipped, "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("the report does not say %q; it says:\n%s", w, got)
		}
	}
	if len(rep.Skipped) != len(want) {
		t.Errorf("%d rows skipped, want %d:\n%s", len(rep.Skipped), len(want), got)
	}
	if !strings.Contains(rep.String(), "6 rows skipped") {
		t.Errorf("report line %q", rep.String())
	}
	out := exportLines(t, st)
	for _, w := range []string{`"title":"Fine Story"`, `"title":"Second Fine Story"`} {
		if !strings.Contains(out, w) {
			t.Errorf("export lacks %s", w)
		}
	}
	for _, w := range []string{"Orphan Story", "Empty Story", "Copy Of Four", "Stray text", "Nobody"} {
		if strings.Contains(out, w) {
			t.Errorf("a skipped row came through: %s", w)
		}
	}
	// --strict refuses the same dump whole.
	st2 := testdb.Open(t)
	before := exportLines(t, st2)
	if _, err := efiction.Import(context.Background(), st2, d, efiction.Options{Now: now, Strict: true}); err == nil {
		t.Error("--strict imported a dump with bad rows")
	}
	if exportLines(t, st2) != before {
		t.Error("a refused strict import changed the archive")
	}
}

// Tags are unique per type, not per name: a character named like a
// fandom (a work about the place and a person of the same name) keeps
// both.
func TestCharacterNamedLikeFandom(t *testing.T) {
	const dump = "CREATE TABLE `fanfiction_authors` (`uid` int, `penname` varchar(200), `email` varchar(200), `date` datetime);\n" +
		"INSERT INTO `fanfiction_authors` VALUES (1,'Solo Writer','solo@example.test','2010-01-01 00:00:00');\n" +
		"CREATE TABLE `fanfiction_categories` (`catid` int, `parentcatid` int, `category` varchar(60), `description` text);\n" +
		"INSERT INTO `fanfiction_categories` VALUES (1,-1,'Marisol','');\n" +
		"CREATE TABLE `fanfiction_characters` (`charid` int, `catid` int, `charname` varchar(60), `bio` text);\n" +
		"INSERT INTO `fanfiction_characters` VALUES (1,1,'Marisol',''),(2,1,'Tobin Reyes','');\n" +
		"CREATE TABLE `fanfiction_stories` (`sid` int, `title` varchar(200), `summary` text, `catid` varchar(100), `charid` varchar(100), `rid` varchar(25), `date` datetime, `uid` int, `validated` char(1), `completed` char(1));\n" +
		"INSERT INTO `fanfiction_stories` VALUES (1,'Namesake','A town and a girl.','1','1,2','0','2010-02-02 00:00:00',1,'1','1');\n" +
		"CREATE TABLE `fanfiction_chapters` (`chapid` int, `title` varchar(250), `inorder` int, `storytext` text, `sid` int, `uid` int);\n" +
		"INSERT INTO `fanfiction_chapters` VALUES (1,'One',1,'Some text.',1,1);\n"
	d, err := efiction.ParseDump(dump)
	must(t, err)
	st := testdb.Open(t)
	_, err = efiction.Import(context.Background(), st, d, efiction.Options{Now: now, Strict: true})
	must(t, err)
	out := exportLines(t, st)
	if !strings.Contains(out, `"fandoms":["Marisol"],"relationships":[],"characters":["Marisol","Tobin Reyes"]`) {
		t.Errorf("the character named like the fandom was lost:\n%s", out)
	}
}

// A chapter file saved with a UTF-8 byte-order mark (as Windows editors
// do) gives its text without the mark.
func TestChapterFileBOM(t *testing.T) {
	const dump = "CREATE TABLE `fanfiction_authors` (`uid` int, `penname` varchar(200), `email` varchar(200), `date` datetime);\n" +
		"INSERT INTO `fanfiction_authors` VALUES (3,'Solo Writer','solo@example.test','2010-01-01 00:00:00');\n" +
		"CREATE TABLE `fanfiction_stories` (`sid` int, `title` varchar(200), `summary` text, `catid` varchar(100), `rid` varchar(25), `date` datetime, `uid` int, `validated` char(1), `completed` char(1));\n" +
		"INSERT INTO `fanfiction_stories` VALUES (1,'Filed Away','Kept in files.','0','0','2010-02-02 00:00:00',3,'1','1');\n" +
		"CREATE TABLE `fanfiction_chapters` (`chapid` int, `title` varchar(250), `inorder` int, `storytext` text, `sid` int, `uid` int);\n" +
		"INSERT INTO `fanfiction_chapters` VALUES (12,'One',1,'',1,3);\n"
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "3"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "3", "12.txt"), []byte("\xef\xbb\xbfThe café was closed.<br /><br />Ana waited."), 0o644))
	d, err := efiction.ParseDump(dump)
	must(t, err)
	st := testdb.Open(t)
	_, err = efiction.Import(context.Background(), st, d, efiction.Options{Now: now, StoriesDir: dir, Strict: true})
	must(t, err)
	out := exportLines(t, st)
	if strings.Contains(out, "\ufeff") || strings.Contains(out, `\ufeff`) {
		t.Error("the byte-order mark is in the body")
	}
	if !strings.Contains(out, `"body":"<p>The café was closed.</p>\n\n<p>Ana waited.</p>`) {
		t.Errorf("body:\n%s", out)
	}
	// A dump file with a mark of its own reads too.
	src, err := efiction.Decode([]byte("\xef\xbb\xbf"+dump), "auto")
	must(t, err)
	if strings.HasPrefix(src, "\ufeff") {
		t.Error("Decode kept the mark")
	}
}

// The old site's viewstory.php?sid=S&chapter=N links number chapters as
// eFiction did (by inorder): a skipped chapter's number is not given to
// the next, so chapter=3 still leads to the third chapter's text when the
// second was left out. Without usable inorder values the place among all
// the story's chapters counts, skipped ones included.
func TestChapterRedirectsCountSkippedChapters(t *testing.T) {
	for _, tc := range []struct {
		name, rows string
	}{
		{"by inorder", "(21,'One',1,'First text.',1,1),(22,'Two',2,'  ',1,1),(23,'Three',3,'Third text.',1,1),(24,'Five',5,'Fifth text.',1,1)"},
		{"by place", "(21,'One',0,'First text.',1,1),(22,'Two',0,'  ',1,1),(23,'Three',0,'Third text.',1,1),(24,'Five',0,'Fifth text.',1,1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dump := "CREATE TABLE `fanfiction_authors` (`uid` int, `penname` varchar(200), `email` varchar(200), `date` datetime);\n" +
				"INSERT INTO `fanfiction_authors` VALUES (1,'Solo Writer','solo@example.test','2010-01-01 00:00:00');\n" +
				"CREATE TABLE `fanfiction_stories` (`sid` int, `title` varchar(200), `summary` text, `catid` varchar(100), `rid` varchar(25), `date` datetime, `uid` int, `validated` char(1), `completed` char(1));\n" +
				"INSERT INTO `fanfiction_stories` VALUES (1,'Gap Year','Missing a part.','0','0','2010-02-02 00:00:00',1,'1','1');\n" +
				"CREATE TABLE `fanfiction_chapters` (`chapid` int, `title` varchar(250), `inorder` int, `storytext` text, `sid` int, `uid` int);\n" +
				"INSERT INTO `fanfiction_chapters` VALUES " + tc.rows + ";\n"
			d, err := efiction.ParseDump(dump)
			must(t, err)
			st := testdb.Open(t)
			rep, err := efiction.Import(context.Background(), st, d, efiction.Options{Now: now})
			must(t, err)
			if rep.Chapters != 3 || len(rep.Skipped) != 1 {
				t.Fatalf("report %s %v", rep, rep.Skipped)
			}
			out := exportLines(t, st)
			chapterID := func(title string) string {
				t.Helper()
				for _, l := range strings.Split(out, "\n") {
					if i := strings.Index(l, `"title":"`+title+`"`); i >= 0 {
						j := strings.LastIndex(l[:i], `{"id":`)
						if j < 0 {
							break
						}
						rest := l[j+len(`{"id":`):]
						return rest[:strings.IndexByte(rest, ',')]
					}
				}
				t.Fatalf("no chapter %q in:\n%s", title, out)
				return ""
			}
			last := "4"
			if tc.name == "by inorder" {
				last = "5"
			}
			for n, title := range map[string]string{"1": "One", "3": "Three", last: "Five"} {
				want := `"from":"/viewstory.php?sid=1&chapter=` + n + `","to":"/works/1/chapters/` + chapterID(title) + `"`
				if !strings.Contains(out, want) {
					t.Errorf("no redirect %s in:\n%s", want, out)
				}
			}
			if strings.Contains(out, `chapter=2"`) {
				t.Errorf("the skipped chapter's number leads somewhere:\n%s", out)
			}
		})
	}
}
