package dump_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/dump"
	"quire/internal/store"
	"quire/internal/store/sqlite"
)

var now = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), t.TempDir())
	must(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

func post(t *testing.T, st store.Store, pseuds []int64, in archive.WorkInput) *archive.Work {
	t.Helper()
	w, cs, err := archive.PrepareWork(in, now)
	must(t, err)
	must(t, st.CreateWorks(context.Background(), []store.NewWork{{Work: w, Chapters: cs, PseudIDs: pseuds}}))
	return w
}

func pseudID(t *testing.T, st store.Store, u *archive.User) int64 {
	t.Helper()
	ps, err := st.Pseuds(context.Background(), u.ID)
	must(t, err)
	return ps[0].ID
}

// fixture builds a small archive that uses every part of the dump.
func fixture(t *testing.T) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	st := open(t)
	alice := &archive.User{Name: "alice", Email: "alice@example.test", PasswordHash: "$argon2id$fake", Roles: []string{archive.RoleAdmin},
		CreatedAt: time.Date(2019, 1, 2, 3, 4, 5, 0, time.UTC), Preferences: archive.Preferences{ViewAdult: true, FontSize: 120, Theme: "dark"}}
	bob := &archive.User{Name: "bob", Email: "bob@example.test", Roles: []string{archive.RoleWrangler}, CreatedAt: time.Date(2020, 5, 6, 7, 8, 9, 0, time.UTC)}
	carol := &archive.User{Name: "carol", Email: "carol@example.test", CreatedAt: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, u := range []*archive.User{alice, bob, carol} {
		must(t, st.CreateUser(ctx, u))
	}
	// A second pseud (no store method adds one yet).
	var ally int64
	must(t, st.DB().QueryRowContext(ctx, `INSERT INTO pseuds (user_id, name, name_key, is_default, created_at) VALUES (?, 'Ally', 'ally', 0, ?) RETURNING id`,
		alice.ID, time.Date(2019, 2, 1, 0, 0, 0, 0, time.UTC).Unix()).Scan(&ally))
	must(t, st.CreateToken(ctx, "tokenhash-alice", alice.ID, "cli"))
	pa, pb, pc := pseudID(t, st, alice), pseudID(t, st, bob), pseudID(t, st, carol)

	// A work that enters "Spock" before anyone wrangles it: the tag's id is
	// lower than its synonym target's.
	w1 := post(t, st, []int64{pa, ally, pb}, archive.WorkInput{
		Title: "The First Voyage", Summary: "A *short* summary.", SummaryFormat: archive.FormatMarkdown,
		Notes: "<p>Notes with <b>bold</b>.</p>", EndNotes: "Thanks for reading.",
		Rating: "Teen And Up Audiences", Warnings: []string{"No Archive Warnings Apply"}, Categories: []string{"Gen", "M/M"},
		Fandoms: []string{"Star Trek: TOS", "ST"}, Relationships: []string{"Kirk/Spock"}, Characters: []string{"Kirk", "Spock"},
		Freeforms:        []string{"alternate universe", "Alternate Universe - Coffee Shops & Cafés", "Fluff"},
		ChaptersExpected: 4, PostedAt: time.Date(2015, 3, 4, 5, 6, 7, 0, time.UTC),
		Chapters: []archive.ChapterInput{
			{Title: "Beginnings", Summary: "Chapter *summary*", SummaryFormat: archive.FormatMarkdown, Body: "# Heading\n\nSome **markdown** text.\n\n- a list", Format: archive.FormatMarkdown},
			{Title: "", Notes: "<i>note</i>", EndNotes: "end", Body: "<p>HTML body</p><script>alert(1)</script>\n\nSecond paragraph.", Format: archive.FormatHTML},
			{Title: "Not yet", Body: "A draft chapter.", Draft: true},
		},
	})
	// A later chapter with its own date.
	c4, err := archive.PrepareChapter(archive.ChapterInput{Title: "Later", Body: "Posted a year on.", Format: archive.FormatHTML})
	must(t, err)
	c4.WorkID, c4.PostedAt = w1.ID, time.Date(2016, 3, 4, 5, 6, 7, 0, time.UTC)
	must(t, st.CreateChapter(ctx, c4))
	must(t, st.SetWorkCounts(ctx, w1.ID, 1234, 56))

	post(t, st, []int64{pb}, archive.WorkInput{Title: "Unfinished", Rating: "Not Rated", Warnings: []string{archive.WarningChoseNot},
		Fandoms: []string{"Original Work"}, Draft: true, Chapters: []archive.ChapterInput{{Body: "draft text"}}})
	post(t, st, []int64{pb}, archive.WorkInput{Title: "Members Only", Rating: "Mature", Warnings: []string{archive.WarningViolence, archive.WarningMCD},
		Fandoms: []string{"Original Work"}, Language: "fr", Restricted: true, CommentPermission: archive.CommentsEveryone, ModeratedComments: true,
		PostedAt: time.Date(2022, 7, 8, 9, 10, 11, 0, time.UTC), Chapters: []archive.ChapterInput{{Body: "Bonjour. 日本語のテキスト。"}}})
	hidden := post(t, st, []int64{pc}, archive.WorkInput{Title: "Hidden by a moderator", Rating: "Explicit", Warnings: []string{archive.WarningNone},
		Fandoms: []string{"Original Work"}, Chapters: []archive.ChapterInput{{Body: "text"}}})
	hidden.Hidden = true
	must(t, st.UpdateWork(ctx, hidden))
	post(t, st, []int64{pc}, archive.WorkInput{Title: "Orphaned", Rating: "General Audiences", Warnings: []string{archive.WarningNone},
		Fandoms: []string{"Original Work"}, Chapters: []archive.ChapterInput{{Body: "left behind"}}})
	_, _, err = st.DeleteUser(ctx, carol.ID, true)
	must(t, err)

	must(t, st.ImportTags(ctx, []store.TagSpec{
		{Type: archive.TypeFandom, Name: "Star Trek", Canonical: true},
		{Type: archive.TypeFandom, Name: "Star Trek: The Original Series", Canonical: true, Meta: []string{"Star Trek"}},
		{Type: archive.TypeFandom, Name: "Star Trek: TOS", SynonymOf: "Star Trek: The Original Series"},
		{Type: archive.TypeFandom, Name: "ST", SynonymOf: "Star Trek"},
		{Type: archive.TypeFandom, Name: "Original Work", Canonical: true},
		{Type: archive.TypeCharacter, Name: "S'chn T'gai Spock", Canonical: true, Parents: []string{"Star Trek: The Original Series"}},
		{Type: archive.TypeCharacter, Name: "Spock", SynonymOf: "S'chn T'gai Spock"},
		{Type: archive.TypeCharacter, Name: "Kirk", Canonical: true, Parents: []string{"Star Trek: The Original Series", "Star Trek"}},
		{Type: archive.TypeFreeform, Name: "Alternate Universe", Canonical: true},
		{Type: archive.TypeFreeform, Name: "Alternate Universe - Coffee Shops & Cafés", Canonical: true, Meta: []string{"Alternate Universe"}},
	}))
	return st
}

func export(t *testing.T, st store.Dumps, secrets bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	_, err := dump.Export(context.Background(), st, &buf, dump.ExportOptions{WithSecrets: secrets, BaseURL: "https://archive.example/"})
	must(t, err)
	return buf.Bytes()
}

func importInto(t *testing.T, st store.Dumps, data []byte, opts dump.ImportOptions) (dump.Stats, error) {
	t.Helper()
	return dump.Import(context.Background(), st, bytes.NewReader(data), opts)
}

func TestRoundTrip(t *testing.T) {
	src := fixture(t)
	for _, secrets := range []bool{true, false} {
		t.Run(fmt.Sprintf("secrets=%v", secrets), func(t *testing.T) {
			a := export(t, src, secrets)
			dst := open(t)
			stats, err := importInto(t, dst, a, dump.ImportOptions{})
			must(t, err)
			if stats.Works != 5 || stats.Users != 2 {
				t.Errorf("stats %+v", stats)
			}
			b := export(t, dst, secrets)
			if !bytes.Equal(a, b) {
				al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
				for i := range al {
					if i >= len(bl) || al[i] != bl[i] {
						t.Fatalf("exports differ at line %d:\n%s\n%s", i+1, al[i], bl[min(i, len(bl)-1)])
					}
				}
				t.Fatalf("exports differ in length: %d vs %d lines", len(al), len(bl))
			}
			if secrets != strings.Contains(string(a), "password_hash") || secrets != strings.Contains(string(a), "tokenhash-alice") {
				t.Errorf("secrets=%v but the export says otherwise", secrets)
			}
			// The imported archive works: the user's token logs in, ids are kept.
			if secrets {
				u, err := dst.TokenUser(context.Background(), "tokenhash-alice")
				must(t, err)
				if u.Name != "alice" || u.PasswordHash != "$argon2id$fake" {
					t.Errorf("token user %+v", u)
				}
			}
		})
	}
}

func TestExportShape(t *testing.T) {
	src := fixture(t)
	out := string(export(t, src, false))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	// Tags first, each after the tags it names.
	pos := map[string]int{}
	for i, l := range lines {
		if strings.HasPrefix(l, `{"type":"tag","name":`) {
			name := strings.SplitN(strings.TrimPrefix(l, `{"type":"tag","name":"`), `"`, 2)[0]
			pos[name] = i
		}
	}
	if !(pos["S'chn T'gai Spock"] < pos["Spock"] && pos["Star Trek"] < pos["Star Trek: The Original Series"] &&
		pos["Star Trek: The Original Series"] < pos["Star Trek: TOS"] && pos["Star Trek: The Original Series"] < pos["Kirk"]) {
		t.Errorf("tag order: %v", pos)
	}
	for _, want := range []string{
		`{"type":"tag","name":"Spock","tag_type":"character","canonical":false,"synonym_of":"S'chn T'gai Spock","meta":[],"parent_fandoms":[]}`,
		`{"type":"tag","name":"Kirk","tag_type":"character","canonical":true,"synonym_of":null,"meta":[],"parent_fandoms":["Star Trek","Star Trek: The Original Series"]}`,
		`{"type":"user","name":"alice","email":"alice@example.test","roles":["admin"],"pseuds":[{"name":"alice","default":true,"created_at":"2019-01-02T03:04:05Z"},{"name":"Ally","default":false,"created_at":"2019-02-01T00:00:00Z"}],"created_at":"2019-01-02T03:04:05Z","preferences":{"view_adult":true,"view_full_work":false,"hide_warnings":false,"hide_freeforms":false,"email_notify":false,"font_size":120,"theme":"dark"},"muted_tags":[],"muted_users":[],"blocked_users":[]}`,
		`"creators":["alice","Ally","bob"],"summary":"<p>A <em>short</em> summary.</p>\n","summary_source":"A *short* summary.","summary_format":"markdown"`,
		`"freeforms":["alternate universe","Alternate Universe - Coffee Shops & Cafés","Fluff"]`,
		`"language":"en","series":[],"words":`,
		`"chapters_posted":3,"chapters_expected":4,"complete":false,"restricted":false,"comment_permissions":"registered","moderated_comments":false,"posted_at":"2015-03-04T05:06:07Z","updated_at":"2016-03-04T05:06:07Z"`,
		`"hits":1234,"kudos":56,"comments":0,"bookmarks":0,"url":"https://archive.example/works/1","draft":false,"hidden":false,"chapters":[{"id":1,"position":1,"title":"Beginnings"`,
		`"creators":["orphan_account"]`,
		`"title":"Unfinished"`, `"draft":true,"hidden":false`, `"hidden":true`, `"language":"fr"`, `"chapters_expected":null`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	if strings.Contains(out, "password_hash") || strings.Contains(out, "api_tokens") || strings.Contains(out, "tokenhash") {
		t.Error("export holds a secret")
	}
	if strings.Contains(out, `"body":"<p>HTML body</p><script`) {
		t.Error("a body holds a script")
	}
}

// counts is a cheap fingerprint of an archive's contents.
func counts(t *testing.T, st *sqlite.Store) string {
	t.Helper()
	var s string
	must(t, st.DB().QueryRow(`SELECT (SELECT COUNT(*) FROM users) || '/' || (SELECT COUNT(*) FROM pseuds) || '/' || (SELECT COUNT(*) FROM tags) || '/' ||
		(SELECT COUNT(*) FROM tag_meta) || '/' || (SELECT COUNT(*) FROM works) || '/' || (SELECT COUNT(*) FROM chapters) || '/' || (SELECT COUNT(*) FROM works_fts)`).Scan(&s))
	return s
}

func TestBrokenFileChangesNothing(t *testing.T) {
	src := fixture(t)
	good := strings.Split(strings.TrimSuffix(string(export(t, src, false)), "\n"), "\n")
	n := len(good)
	lastWork := good[n-1]
	manyTags := make([]string, 76)
	for i := range manyTags {
		manyTags[i] = fmt.Sprintf("Tag %d", i)
	}
	tagsJSON := `["` + strings.Join(manyTags, `","`) + `"]`
	cases := []struct {
		name string
		edit func(lines []string) []string
		line int
		want string
	}{
		{"bad JSON", func(l []string) []string { l[n-2] = `{"type":"work",`; return l }, n - 1, "not valid JSON"},
		{"76 free tags", func(l []string) []string {
			l[n-1] = strings.Replace(lastWork, `"freeforms":[]`, `"freeforms":`+tagsJSON, 1)
			return l
		}, n, "at most 75"},
		{"unknown type", func(l []string) []string { return append(l, `{"type":"poll","id":1}`) }, n + 1, `unknown record type "poll"`},
		{"unknown field", func(l []string) []string {
			l[n-1] = strings.Replace(lastWork, `"hits":`, `"ip":"10.0.0.1","hits":`, 1)
			return l
		}, n, `unknown field "ip"`},
		{"no type", func(l []string) []string { return append(l, `{"id":1}`) }, n + 1, `no "type"`},
		{"future date", func(l []string) []string {
			l[n-1] = strings.Replace(lastWork, `"posted_at":"`, `"posted_at":"2999-01-01T00:00:00Z","x_old":"`, 1)
			l[n-1] = strings.Replace(l[n-1], `,"x_old":"`+strings.SplitN(strings.SplitN(lastWork, `"posted_at":"`, 2)[1], `"`, 2)[0]+`"`, "", 1)
			return l
		}, n, "in the future"},
		{"duplicate work id", func(l []string) []string { return append(l, lastWork) }, n + 1, "appears twice"},
		{"creator unknown", func(l []string) []string {
			l[n-1] = strings.Replace(lastWork, `"creators":["orphan_account"]`, `"creators":["nobody"]`, 1)
			return l
		}, n, `no pseud named "nobody"`},
		{"empty body", func(l []string) []string {
			l[n-1] = strings.Replace(strings.Replace(lastWork, `"source":"left behind"`, `"source":"  "`, 1), `"body":"<p>left behind</p>"`, `"body":""`, 1)
			return l
		}, n, "body: can't be blank"},
	}
	if !strings.Contains(lastWork, `"freeforms":[]`) || !strings.Contains(lastWork, `"source":"left behind"`) {
		t.Fatalf("fixture's last work changed: %s", lastWork)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dst := open(t)
			before := counts(t, dst)
			lines := tc.edit(append([]string(nil), good...))
			_, err := importInto(t, dst, []byte(strings.Join(lines, "\n")+"\n"), dump.ImportOptions{})
			var le *dump.LineError
			if !errors.As(err, &le) || le.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want line %d: …%s…", err, tc.line, tc.want)
			}
			if after := counts(t, dst); after != before {
				t.Errorf("the archive changed: %s → %s", before, after)
			}
		})
	}
}

func TestImportIntoNonEmptyArchiveRefusesClash(t *testing.T) {
	src := fixture(t)
	data := export(t, src, false)
	// Into the archive it came from: the first clash is the first user.
	before := counts(t, src)
	_, err := importInto(t, src, data, dump.ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), `user "alice"`) || !strings.Contains(err.Error(), "already in this archive") {
		t.Fatalf("err = %v", err)
	}
	if after := counts(t, src); after != before {
		t.Errorf("the archive changed: %s → %s", before, after)
	}
	// Only the works, into an archive whose work 1 is someone else's.
	dst := open(t)
	u := &archive.User{Name: "zed", Email: "zed@example.test"}
	must(t, dst.CreateUser(context.Background(), u))
	post(t, dst, []int64{pseudID(t, dst, u)}, archive.WorkInput{Title: "Mine", Rating: "Not Rated", Warnings: []string{archive.WarningNone},
		Fandoms: []string{"Original Work"}, Chapters: []archive.ChapterInput{{Body: "x"}}})
	var kept []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, `{"type":"work"`) {
			kept = append(kept, strings.Replace(strings.Replace(l, `"creators":["alice","Ally","bob"]`, `"creators":["zed"]`, 1), `"creators":["bob"]`, `"creators":["zed"]`, 1))
		}
	}
	before = counts(t, dst)
	_, err = importInto(t, dst, []byte(strings.Join(kept, "\n")), dump.ImportOptions{})
	var le *dump.LineError
	if !errors.As(err, &le) || le.Line != 1 || !strings.Contains(err.Error(), "work 1 is already in this archive") {
		t.Fatalf("err = %v", err)
	}
	if after := counts(t, dst); after != before {
		t.Errorf("the archive changed: %s → %s", before, after)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	src := fixture(t)
	data := export(t, src, true)
	dst := open(t)
	before := counts(t, dst)
	stats, err := importInto(t, dst, data, dump.ImportOptions{DryRun: true})
	must(t, err)
	if stats.Works != 5 || stats.Users != 2 || stats.Tags == 0 {
		t.Errorf("stats %+v", stats)
	}
	if after := counts(t, dst); after != before {
		t.Errorf("a dry run changed the archive: %s → %s", before, after)
	}
}

// A hand-written file: HTML only (no source), tags named before they are
// described, a CRLF line end, blank lines.
func TestImportHandWritten(t *testing.T) {
	dst := open(t)
	data := `{"type":"user","name":"dana","email":"dana@example.test","roles":[],"pseuds":[],"created_at":"2020-01-01T00:00:00Z","preferences":{},"muted_tags":[],"muted_users":[],"blocked_users":[]}` + "\r\n\n" +
		`{"type":"tag","name":"Sub","tag_type":"freeform","canonical":true,"synonym_of":null,"meta":["Top"],"parent_fandoms":["Some Fandom"]}` + "\n" +
		`{"type":"work","id":42,"title":"Hand made","creators":["dana"],"summary":"<p>Hi <script>x</script></p>","rating":"Not Rated","warnings":["No Archive Warnings Apply"],"fandoms":["Some Fandom"],"freeforms":["Sub"],"posted_at":"2001-02-03T04:05:06Z","chapters":[{"id":7,"body":"<p>Body</p>"}]}` + "\n"
	stats, err := importInto(t, dst, []byte(data), dump.ImportOptions{})
	must(t, err)
	if stats != (dump.Stats{Users: 1, Tags: 1, Works: 1}) {
		t.Errorf("stats %+v", stats)
	}
	w, err := dst.Work(context.Background(), 42)
	must(t, err)
	if w.Summary.HTML != "<p>Hi </p>" || w.PostedAt != time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC) || w.Creators[0].Pseud != "dana" || w.ChaptersPosted != 1 {
		t.Errorf("work %+v", w)
	}
	c, err := dst.Chapter(context.Background(), 42, 7)
	must(t, err)
	if c.Body.HTML != "<p>Body</p>" || c.Words != 1 {
		t.Errorf("chapter %+v", c)
	}
	top, err := dst.TagByName(context.Background(), archive.TypeFreeform, "Top")
	must(t, err)
	if top.Canonical {
		t.Error("a meta tag named before its line is created unwrangled")
	}
}
