// Package storetest is the behaviour every store.Store implementation must
// show; each engine's tests call Run with a constructor for a fresh store.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// Run runs the shared suite; open returns a new, empty store.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st store.Store)
	}{
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"PasswordReset", testPasswordReset},
		{"Policy", testPolicy},
		{"WorksAndTags", testWorksAndTags},
		{"Chapters", testChapters},
		{"DeleteUser", testDeleteUser},
		{"CreatorInvitations", testCreatorInvitations},
		{"OrphanWorks", testOrphanWorks},
		{"ChapterCreators", testChapterCreators},
		{"InboxOnce", testInboxOnce},
		{"Schedules", testSchedules},
		{"UpdateWorks", testUpdateWorks},
		{"Renames", testRenames},
		{"Profiles", testProfiles},
		{"Search", testSearch},
		{"SearchCJK", testSearchCJK},
		{"ReindexCJK", testReindexCJK},
		{"Jobs", testJobs},
		{"Wrangling", testWrangling},
		{"Community", testCommunity},
		{"BookmarksAndMutes", testBookmarksAndMutes},
		{"SubscriptionsAndInbox", testSubscriptionsAndInbox},
		{"SeriesAndPseuds", testSeriesAndPseuds},
		{"Reports", testReports},
		{"Moderation", testModeration},
		{"LastAdminRace", testLastAdminRace},
		{"AuditedChanges", testAuditedChanges},
		{"ReportPages", testReportPages},
		{"News", testNews},
		{"Banner", testBanner},
		{"ReaderSets", testReaderSets},
		{"SavedSearches", testSavedSearches},
		{"SitemapChapters", testSitemapChapters},
		{"Collections", testCollections},
		{"RelatedWorks", testRelatedWorks},
		{"Challenges", testChallenges},
		{"PromptMemes", testPromptMemes},
		{"Gifts", testGifts},
		{"Readings", testReadings},
		{"Redirects", testRedirects},
		{"FeedTokens", testFeedTokens},
		{"SeriesBookmarks", testSeriesBookmarks},
		{"CommentCounts", testCommentCounts},
		{"Imports", testImports},
		{"Dumps", func(t *testing.T, st store.Store) { testDumps(t, st, open(t)) }},
		{"RecordReadings", testRecordReadings},
		{"IDsNeverReused", testIDsNeverReused},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newUser(t *testing.T, st store.Store, name string) *archive.User {
	t.Helper()
	u := &archive.User{Name: name, Email: name + "@example.test", PasswordHash: "x"}
	must(t, st.CreateUser(context.Background(), u))
	return u
}

func defaultPseud(t *testing.T, st store.Store, u *archive.User) int64 {
	t.Helper()
	ps, err := st.Pseuds(context.Background(), u.ID)
	must(t, err)
	if len(ps) != 1 || ps[0].Name != u.Name || !ps[0].IsDefault {
		t.Fatalf("pseuds of %s = %+v, want one default pseud named after the account", u.Name, ps)
	}
	return ps[0].ID
}

// postWork stores a simple work with the given chapters' bodies.
func postWork(t *testing.T, st store.Store, u *archive.User, title string, tags map[archive.TagType][]string, bodies ...string) *archive.Work {
	t.Helper()
	return postWorkBy(t, st, defaultPseud(t, st, u), title, tags, bodies...)
}

// postWorkBy stores a simple work credited to the pseud.
func postWorkBy(t *testing.T, st store.Store, pseud int64, title string, tags map[archive.TagType][]string, bodies ...string) *archive.Work {
	t.Helper()
	w := &archive.Work{Title: title, Tags: tags, Language: "en", CommentPermission: archive.CommentsRegistered,
		PostedAt: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
	var cs []*archive.Chapter
	for _, b := range bodies {
		cs = append(cs, &archive.Chapter{Body: archive.Rich{Source: b, Format: archive.FormatHTML, HTML: "<p>" + b + "</p>"}, Words: 2})
	}
	must(t, st.CreateWorks(context.Background(), []store.NewWork{{Work: w, Chapters: cs, PseudIDs: []int64{pseud}}}))
	return w
}

func basicTags(fandom string, extra ...string) map[archive.TagType][]string {
	return map[archive.TagType][]string{
		archive.TypeRating:   {archive.RatingGeneral},
		archive.TypeWarning:  {archive.WarningNone},
		archive.TypeFandom:   {fandom},
		archive.TypeFreeform: extra,
	}
}

func testUsers(t *testing.T, st store.Store) {
	ctx := context.Background()
	u := newUser(t, st, "Alice")
	if got, err := st.UserByName(ctx, "alice"); err != nil || got.ID != u.ID {
		t.Fatalf("UserByName is not case-insensitive: %v %v", got, err)
	}
	if got, err := st.UserByEmail(ctx, "ALICE@example.test"); err != nil || got.ID != u.ID {
		t.Fatalf("UserByEmail: %v %v", got, err)
	}
	if err := st.CreateUser(ctx, &archive.User{Name: "ALICE", Email: "other@example.test"}); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("duplicate name: got %v, want ErrConflict", err)
	}
	if err := st.CreateUser(ctx, &archive.User{Name: "bob", Email: "alice@EXAMPLE.test"}); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("duplicate e-mail: got %v, want ErrConflict", err)
	}
	if _, err := st.UserByName(ctx, "nobody"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("missing user: got %v, want ErrNotFound", err)
	}
	must(t, st.SetPreferences(ctx, u.ID, archive.Preferences{ViewAdult: true}))
	must(t, st.SetUserRoles(ctx, u.ID, []string{archive.RoleAdmin}))
	got, err := st.UserByID(ctx, u.ID)
	must(t, err)
	if !got.Preferences.ViewAdult || !got.IsAdmin() {
		t.Fatalf("preferences or roles not kept: %+v", got)
	}
}

func testSessions(t *testing.T, st store.Store) {
	ctx := context.Background()
	u := newUser(t, st, "sess")
	now := time.Now()
	must(t, st.CreateSession(ctx, "h1", u.ID, now.Add(time.Hour)))
	must(t, st.CreateSession(ctx, "h2", u.ID, now.Add(time.Hour)))
	must(t, st.CreateSession(ctx, "old", u.ID, now.Add(-time.Second)))
	if got, err := st.SessionUser(ctx, "h1", now); err != nil || got.ID != u.ID {
		t.Fatalf("session: %v %v", got, err)
	}
	if _, err := st.SessionUser(ctx, "old", now); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("expired session accepted: %v", err)
	}
	must(t, st.DeleteUserSessions(ctx, u.ID, "h2"))
	if _, err := st.SessionUser(ctx, "h1", now); !errors.Is(err, archive.ErrNotFound) {
		t.Fatal("other sessions survived DeleteUserSessions")
	}
	if _, err := st.SessionUser(ctx, "h2", now); err != nil {
		t.Fatal("the kept session was deleted")
	}
	must(t, st.CreateToken(ctx, "tok", u.ID, "cli"))
	if got, err := st.TokenUser(ctx, "tok"); err != nil || got.ID != u.ID {
		t.Fatalf("token: %v %v", got, err)
	}
}

func testPasswordReset(t *testing.T, st store.Store) {
	ctx := context.Background()
	u := newUser(t, st, "reset")
	now := time.Now()
	must(t, st.CreatePasswordReset(ctx, "r1", u.ID, now.Add(time.Hour)))
	must(t, st.CreatePasswordReset(ctx, "r2", u.ID, now.Add(-time.Minute)))
	if id, err := st.ConsumePasswordReset(ctx, "r1", now); err != nil || id != u.ID {
		t.Fatalf("consume: %d %v", id, err)
	}
	if _, err := st.ConsumePasswordReset(ctx, "r1", now); !errors.Is(err, archive.ErrNotFound) {
		t.Fatal("a reset token worked twice")
	}
	if _, err := st.ConsumePasswordReset(ctx, "r2", now); !errors.Is(err, archive.ErrNotFound) {
		t.Fatal("an expired reset token worked")
	}
	// A password or e-mail change voids every link still outstanding,
	// and only that account's.
	other := newUser(t, st, "reset2")
	must(t, st.CreatePasswordReset(ctx, "r3", u.ID, now.Add(time.Hour)))
	must(t, st.CreatePasswordReset(ctx, "r4", u.ID, now.Add(time.Hour)))
	must(t, st.CreatePasswordReset(ctx, "o1", other.ID, now.Add(time.Hour)))
	must(t, st.SetUserPassword(ctx, u.ID, "new-hash"))
	for _, tok := range []string{"r3", "r4"} {
		if _, err := st.ConsumePasswordReset(ctx, tok, now); !errors.Is(err, archive.ErrNotFound) {
			t.Fatalf("reset link %s outlived a password change: %v", tok, err)
		}
	}
	must(t, st.CreatePasswordReset(ctx, "r5", u.ID, now.Add(time.Hour)))
	must(t, st.SetUserEmail(ctx, u.ID, "moved@example.test"))
	if _, err := st.ConsumePasswordReset(ctx, "r5", now); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("reset link outlived an e-mail change: %v", err)
	}
	if id, err := st.ConsumePasswordReset(ctx, "o1", now); err != nil || id != other.ID {
		t.Fatalf("another account's reset link was voided: %d %v", id, err)
	}
	if got, err := st.UserByID(ctx, u.ID); err != nil || got.PasswordHash != "new-hash" || got.Email != "moved@example.test" {
		t.Fatalf("the changes themselves: %+v %v", got, err)
	}
	if err := st.SetUserPassword(ctx, 1<<40, "x"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("password of a missing user: %v", err)
	}
}

func testWorksAndTags(t *testing.T, st store.Store) {
	ctx := context.Background()
	u := newUser(t, st, "writer")
	w := postWork(t, st, u, "The Long Way", basicTags("Star Things", "Fluff", "fluff"), "one two")
	got, err := st.Work(ctx, w.ID)
	must(t, err)
	if got.Title != "The Long Way" || got.ChaptersPosted != 1 || got.Words != 2 || len(got.Creators) != 1 || got.Creators[0].Pseud != "writer" {
		t.Fatalf("work read back wrong: %+v", got)
	}
	// "Fluff" and "fluff" are one tag; the first spelling is what is shown.
	if ff := got.Tags[archive.TypeFreeform]; len(ff) != 1 || ff[0] != "Fluff" {
		t.Fatalf("freeforms = %v, want [Fluff]", ff)
	}
	tag, err := st.TagByName(ctx, archive.TypeFreeform, "FLUFF")
	must(t, err)
	if tag.Canonical || tag.SynonymOf != 0 {
		t.Fatalf("a new tag must start unwrangled: %+v", tag)
	}
	rating, err := st.TagByName(ctx, archive.TypeRating, archive.RatingGeneral)
	must(t, err)
	if !rating.Canonical {
		t.Fatal("ratings must be canonical")
	}
	got.Title = "A Longer Way"
	got.Tags[archive.TypeFreeform] = []string{"Angst"}
	must(t, st.UpdateWork(ctx, got))
	again, err := st.Work(ctx, w.ID)
	must(t, err)
	if again.Title != "A Longer Way" || len(again.Tags[archive.TypeFreeform]) != 1 || again.Tags[archive.TypeFreeform][0] != "Angst" {
		t.Fatalf("update lost: %+v", again.Tags)
	}
	row, err := st.IndexRow(ctx, w.ID)
	must(t, err)
	if len(row.TagIDs) != 4 || row.TitleSort != "longer way" || row.CreatorSort != "writer" {
		t.Fatalf("index row: %+v", row)
	}
	n := 0
	must(t, st.IndexRows(ctx, func(r store.IndexRow) error { n++; return nil }))
	if n != 1 {
		t.Fatalf("IndexRows streamed %d works, want 1", n)
	}
	must(t, st.DeleteWork(ctx, w.ID))
	if _, err := st.Work(ctx, w.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("deleted work still there: %v", err)
	}
	if err := st.DeleteWork(ctx, w.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func testChapters(t *testing.T, st store.Store) {
	ctx := context.Background()
	u := newUser(t, st, "chap")
	w := postWork(t, st, u, "Chapters", basicTags("F"), "first", "second")
	c3 := &archive.Chapter{WorkID: w.ID, Body: archive.Rich{Source: "third", HTML: "<p>third</p>"}, Words: 1, Draft: true}
	must(t, st.CreateChapter(ctx, c3))
	c0 := &archive.Chapter{WorkID: w.ID, Position: 1, Body: archive.Rich{Source: "zero", HTML: "<p>zero</p>"}, Words: 1}
	must(t, st.CreateChapter(ctx, c0))
	cs, err := st.Chapters(ctx, w.ID, true)
	must(t, err)
	var order []string
	for i, c := range cs {
		if c.Position != i+1 {
			t.Fatalf("positions not 1..n: %d at %d", c.Position, i)
		}
		order = append(order, c.Body.Source)
	}
	if got := join(order); got != "zero first second third" {
		t.Fatalf("order = %q", got)
	}
	got, _ := st.Work(ctx, w.ID)
	if got.ChaptersPosted != 3 || got.Words != 5 {
		t.Fatalf("draft chapter counted: posted %d words %d", got.ChaptersPosted, got.Words)
	}
	ids := []int64{cs[3].ID, cs[2].ID, cs[1].ID, cs[0].ID}
	must(t, st.ReorderChapters(ctx, w.ID, ids))
	if err := st.ReorderChapters(ctx, w.ID, ids[:2]); err == nil {
		t.Fatal("a partial reorder was accepted")
	}
	must(t, st.DeleteChapter(ctx, w.ID, cs[3].ID))
	cs, _ = st.Chapters(ctx, w.ID, true)
	order = order[:0]
	for _, c := range cs {
		order = append(order, c.Body.Source)
	}
	if got := join(order); got != "second first zero" {
		t.Fatalf("after reorder and delete: %q", got)
	}
	if cs[2].Position != 3 {
		t.Fatal("positions not renumbered after delete")
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func testDeleteUser(t *testing.T, st store.Store) {
	ctx := context.Background()
	a, b := newUser(t, st, "leaver"), newUser(t, st, "stayer")
	solo := postWork(t, st, a, "Solo", basicTags("F"), "x")
	other := postWork(t, st, b, "Other", basicTags("F"), "y")
	deleted, changed, err := st.DeleteUser(ctx, a.ID, true)
	must(t, err)
	if len(deleted) != 0 || len(changed) != 1 || changed[0] != solo.ID {
		t.Fatalf("orphan: deleted %v changed %v", deleted, changed)
	}
	w, err := st.Work(ctx, solo.ID)
	must(t, err)
	if w.Creators[0].Pseud != "orphan_account" || w.Creators[0].UserID != 0 {
		t.Fatalf("orphaned byline = %+v", w.Creators)
	}
	deleted, _, err = st.DeleteUser(ctx, b.ID, false)
	must(t, err)
	if len(deleted) != 1 || deleted[0] != other.ID {
		t.Fatalf("delete works: %v", deleted)
	}
	if _, err := st.Work(ctx, other.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatal("the deleted user's work survived")
	}
}

func testSearch(t *testing.T, st store.Store) {
	ctx := context.Background()
	u := newUser(t, st, "searcher")
	a := postWork(t, st, u, "Lanterns at Dusk", basicTags("F", "Coffee Shop"), "the quiet harbor glowed")
	b := postWork(t, st, u, "Harbor Lights", basicTags("F"), "a loud market")
	for _, tc := range []struct {
		q    store.TextQuery
		want []int64
	}{
		{store.TextQuery{Terms: []string{"harbor"}}, []int64{a.ID, b.ID}},
		{store.TextQuery{Terms: []string{"quiet harbor"}}, []int64{a.ID}},
		{store.TextQuery{Terms: []string{"harbor"}, Not: []string{"lanterns"}}, []int64{b.ID}},
		{store.TextQuery{AnyOf: [][]string{{"market", "dusk"}}}, []int64{a.ID, b.ID}},
		{store.TextQuery{Terms: []string{"coffee"}}, []int64{a.ID}},
		{store.TextQuery{Terms: []string{"searcher"}}, []int64{a.ID, b.ID}},
		{store.TextQuery{Terms: []string{`"; DROP TABLE works; --`}}, nil},
		// Field terms, the same on both engines.
		{store.TextQuery{Fields: []store.FieldTerm{{Field: "title", Text: "harbor"}}}, []int64{b.ID}},
		{store.TextQuery{Fields: []store.FieldTerm{{Field: "title", Text: "harbor lights"}}}, []int64{b.ID}},
		{store.TextQuery{Fields: []store.FieldTerm{{Field: "title", Text: "lights harbor"}}}, nil},
		{store.TextQuery{Terms: []string{"harbor"}, Fields: []store.FieldTerm{{Field: "title", Text: "harbor", Not: true}}}, []int64{a.ID}},
		{store.TextQuery{Fields: []store.FieldTerm{{Field: "tag", Text: "coffee shop"}}}, []int64{a.ID}},
		{store.TextQuery{Fields: []store.FieldTerm{{Field: "creator", Text: "searcher"}, {Field: "title", Text: "dusk"}}}, []int64{a.ID}},
		{store.TextQuery{Fields: []store.FieldTerm{{Field: "summary", Text: "harbor"}}}, nil},
		{store.TextQuery{Fields: []store.FieldTerm{{Field: "creator", Text: "harbor"}}}, nil},
	} {
		got, err := st.SearchText(ctx, tc.q)
		must(t, err)
		if len(got) != len(tc.want) {
			t.Fatalf("%+v: got %v want %v", tc.q, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("%+v: got %v want %v", tc.q, got, tc.want)
			}
		}
	}
}

func testJobs(t *testing.T, st store.Store) {
	ctx := context.Background()
	now := time.Now()
	id, err := st.EnqueueJob(ctx, "mail", []byte(`{}`), now)
	must(t, err)
	j, err := st.ClaimJob(ctx, now, now.Add(time.Minute))
	must(t, err)
	if j.ID != id || j.Attempts != 1 {
		t.Fatalf("claimed %+v", j)
	}
	if _, err := st.ClaimJob(ctx, now, now.Add(time.Minute)); !errors.Is(err, archive.ErrNotFound) {
		t.Fatal("a locked job was claimed twice")
	}
	must(t, st.RetryJob(ctx, id, "boom", now.Add(time.Hour)))
	if _, err := st.ClaimJob(ctx, now, now.Add(time.Minute)); !errors.Is(err, archive.ErrNotFound) {
		t.Fatal("a job was claimed before its retry time")
	}
	j, err = st.ClaimJob(ctx, now.Add(2*time.Hour), now.Add(3*time.Hour))
	must(t, err)
	must(t, st.CompleteJob(ctx, j.ID, now))
	if n, _ := st.PendingJobs(ctx); n != 0 {
		t.Fatalf("pending after complete = %d", n)
	}
}

func testWrangling(t *testing.T, st store.Store) {
	ctx := context.Background()
	must(t, st.ImportTags(ctx, []store.TagSpec{
		{Type: archive.TypeFreeform, Name: "Alternate Universe", Canonical: true},
		{Type: archive.TypeFreeform, Name: "Alternate Universe - Coffee Shops & Cafés", Canonical: true, Meta: []string{"Alternate Universe"}},
		{Type: archive.TypeFreeform, Name: "coffee shop AU", SynonymOf: "Alternate Universe - Coffee Shops & Cafés"},
		{Type: archive.TypeCharacter, Name: "Ann", Canonical: true, Parents: []string{"Some Fandom"}},
	}))
	rows, err := st.AllTags(ctx)
	must(t, err)
	byName := map[string]store.TagRow{}
	for _, r := range rows {
		byName[r.Name] = r
	}
	au, cafe, syn, ann := byName["Alternate Universe"], byName["Alternate Universe - Coffee Shops & Cafés"], byName["coffee shop AU"], byName["Ann"]
	if len(cafe.Meta) != 1 || cafe.Meta[0] != au.ID || syn.SynonymOf != cafe.ID || syn.Canonical || len(ann.Parents) != 1 {
		t.Fatalf("wrangling not stored: %+v %+v %+v", cafe, syn, ann)
	}
	must(t, st.RemoveMeta(ctx, cafe.ID, au.ID))
	must(t, st.SetSynonym(ctx, syn.ID, 0))
	must(t, st.SetCanonical(ctx, syn.ID, true))
	tg, err := st.TagByID(ctx, syn.ID)
	must(t, err)
	if !tg.Canonical || tg.SynonymOf != 0 {
		t.Fatalf("after unwrangling: %+v", tg)
	}
}
