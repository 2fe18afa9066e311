package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

// testDumps covers the logical dump: a store filled through its ordinary
// writes, exported, imported into an empty store and exported again gives
// the same records, and the imported archive behaves as the first one did
// (tokens log in, history, redirects, counters, new ids after the old).
func testDumps(t *testing.T, src, dst store.Store) {
	ctx := context.Background()
	f := fillForDump(t, src)

	recs := exportAll(t, src, true)
	want := dumpLines(t, recs)
	kinds := map[string]int{}
	for _, l := range want {
		kinds[recordKind(l)]++
	}
	for _, k := range []string{"Tag", "User", "Work", "Comment", "Kudos", "Bookmark", "Series", "Subscription", "Reading", "Redirect", "Report", "Audit", "NewsPost", "NewsComment"} {
		if kinds[k] == 0 {
			t.Fatalf("the export has no %s record (kinds %v): the round trip would not cover it", k, kinds)
		}
	}

	// Secrets only when asked for.
	for _, r := range exportAll(t, src, false) {
		if u := r.User; u != nil && (u.User.PasswordHash != "" || len(u.Tokens) != 0 || u.FeedToken != nil) {
			t.Fatalf("an export without secrets carries %s's: %+v", u.User.Name, u)
		}
	}
	// The export stops at the first error its callback returns.
	stop := errors.New("stop")
	n := 0
	if err := src.ExportDump(ctx, true, func(r store.DumpRecord) error {
		n++
		if r.Work != nil {
			return stop
		}
		return nil
	}); !errors.Is(err, stop) {
		t.Fatalf("export with a failing callback: %v, want its error", err)
	}

	// An import that fails part-way, or a dry run, leaves nothing.
	empty := len(exportAll(t, dst, true))
	if err := dst.ImportDump(ctx, false, func(w store.DumpWriter) error {
		if err := putAll(ctx, w, recs); err != nil {
			return err
		}
		return stop
	}); !errors.Is(err, stop) {
		t.Fatalf("import with a failing callback: %v, want its error", err)
	}
	must(t, dst.ImportDump(ctx, true, func(w store.DumpWriter) error { return putAll(ctx, w, recs) }))
	if got := exportAll(t, dst, true); len(got) != empty {
		t.Fatalf("a failed import or a dry run left %d records", len(got)-empty)
	}
	if _, err := dst.UserByName(ctx, "dumpann"); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("a failed import left a user: %v", err)
	}

	// The real import, and the export of it: the same records.
	must(t, dst.ImportDump(ctx, false, func(w store.DumpWriter) error { return putAll(ctx, w, recs) }))
	got := dumpLines(t, exportAll(t, dst, true))
	if len(got) != len(want) {
		t.Errorf("re-export has %d records, the export %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("record %d differs after export → import → export:\n got %s\nwant %s", i, got[i], want[i])
		}
	}

	// The imported archive behaves as the first one did.
	bob, err := dst.UserByName(ctx, "dumpbob")
	must(t, err)
	if bob.PasswordHash != "bob-hash" {
		t.Errorf("imported password hash %q", bob.PasswordHash)
	}
	if bio, err := dst.Bio(ctx, mustUser(t, dst, "dumpann").ID); err != nil || bio.HTML != "<p>I <em>write</em>.</p>" || bio.Format != archive.FormatMarkdown {
		t.Errorf("ann's bio after the import: %+v, %v", bio, err)
	}
	if u, err := dst.FeedTokenUser(ctx, "bob-feed-token"); err != nil || u.ID != bob.ID {
		t.Errorf("bob's feed token after the import: %+v, %v", u, err)
	}
	if u, err := dst.TokenUser(ctx, "bob-api-hash"); err != nil || u.ID != bob.ID {
		t.Errorf("bob's API token after the import: %+v, %v", u, err)
	}
	r, err := dst.Reading(ctx, bob.ID, f.w1)
	must(t, err)
	if r.Views != 2 || !r.MarkedForLater || r.ChapterID != f.w1ch2 || !r.FirstReadAt.Equal(f.at) || !r.LastReadAt.Equal(f.at.Add(time.Hour)) {
		t.Errorf("bob's reading after the import: %+v", r)
	}
	if r, err := dst.Reading(ctx, bob.ID, f.w2); err != nil || r.ChapterID != 0 || r.Views != 1 {
		t.Errorf("a reading whose chapter was deleted, after the import: %+v, %v", r, err)
	}
	if to, err := dst.RedirectTarget(ctx, "/viewstory.php?sid=3"); err != nil || to != fmt.Sprintf("/works/%d", f.w1) {
		t.Errorf("redirect after the import: %q, %v", to, err)
	}
	if b, err := dst.SeriesBookmarkOf(ctx, bob.ID, f.series); err != nil || b.SeriesTitle != "Dumped Saga" || !slices.Equal(b.Tags, []string{"saga"}) {
		t.Errorf("series bookmark after the import: %+v, %v", b, err)
	}
	for _, id := range []int64{f.w1, f.w2, f.w3} {
		a, b := mustWork(t, src, id), mustWork(t, dst, id)
		if a.Comments != b.Comments || a.Kudos != b.Kudos || a.Bookmarks != b.Bookmarks || a.Hidden != b.Hidden || a.HiddenReason != b.HiddenReason {
			t.Errorf("work %d counters or moderation: before %d/%d/%d %v %q, after %d/%d/%d %v %q", id,
				a.Comments, a.Kudos, a.Bookmarks, a.Hidden, a.HiddenReason, b.Comments, b.Kudos, b.Bookmarks, b.Hidden, b.HiddenReason)
		}
	}
	if c, err := dst.Comment(ctx, f.hiddenComment); err != nil || !c.Hidden || c.AddressHash != "" {
		t.Errorf("hidden comment after the import: %+v, %v", c, err)
	}
	if blocked, err := dst.IsBlocked(ctx, []int64{bob.ID}, mustUser(t, dst, "dumpcat").ID); err != nil || !blocked {
		t.Errorf("bob's block after the import: %v, %v", blocked, err)
	}
	if muted, err := dst.MutedUsers(ctx, bob.ID); err != nil || len(muted) != 1 {
		t.Errorf("bob's muted users after the import: %v, %v", muted, err)
	}

	// The same file again: everything in it is already here.
	if err := dst.ImportDump(ctx, false, func(w store.DumpWriter) error { return putAll(ctx, w, recs) }); !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("importing the same dump twice: %v, want ErrConflict", err)
	}
	if again := dumpLines(t, exportAll(t, dst, true)); len(again) != len(want) {
		t.Fatalf("a refused second import changed the archive: %d records, want %d", len(again), len(want))
	}

	// New rows are numbered after the imported ones.
	ann := mustUser(t, dst, "dumpann")
	nw := postWorkBy(t, dst, mainPseud(t, dst, ann), "After The Import", basicTags("F"), "new")
	if nw.ID <= f.maxWork {
		t.Errorf("a work posted after the import got id %d, not above %d", nw.ID, f.maxWork)
	}
	chs, err := dst.Chapters(ctx, nw.ID, false)
	must(t, err)
	if chs[0].ID <= f.maxChapter {
		t.Errorf("a chapter posted after the import got id %d, not above %d", chs[0].ID, f.maxChapter)
	}
	c := &archive.Comment{WorkID: nw.ID, ChapterID: chs[0].ID, UserID: bob.ID, PseudID: defaultPseud(t, dst, bob), Approved: true, CreatedAt: f.at,
		Body: archive.Rich{Source: "new", Format: archive.FormatHTML, HTML: "<p>new</p>"}}
	must(t, dst.CreateComment(ctx, c))
	if c.ID <= f.maxComment {
		t.Errorf("a comment after the import got id %d, not above %d", c.ID, f.maxComment)
	}
	b := &archive.Bookmark{UserID: bob.ID, WorkID: nw.ID, CreatedAt: f.at, UpdatedAt: f.at}
	must(t, dst.CreateBookmark(ctx, b))
	if b.ID <= f.maxBookmark {
		t.Errorf("a bookmark after the import got id %d, not above %d", b.ID, f.maxBookmark)
	}
	sr := &archive.Series{Title: "Newer"}
	must(t, dst.CreateSeries(ctx, sr, []int64{mainPseud(t, dst, ann)}))
	if sr.ID <= f.series {
		t.Errorf("a series after the import got id %d, not above %d", sr.ID, f.series)
	}
	// Records naming what is not there are refused, never half-written.
	for name, put := range map[string]func(w store.DumpWriter) error{
		"reading of a missing work": func(w store.DumpWriter) error {
			return w.PutReading(ctx, &store.DumpReading{User: "dumpbob", WorkID: 1 << 40, Views: 1, FirstReadAt: f.at, LastReadAt: f.at})
		},
		"reading of another work's chapter": func(w store.DumpWriter) error {
			return w.PutReading(ctx, &store.DumpReading{User: "dumpbob", WorkID: nw.ID, ChapterID: f.w1ch2, Views: 1, FirstReadAt: f.at, LastReadAt: f.at})
		},
		"reading by a missing user": func(w store.DumpWriter) error {
			return w.PutReading(ctx, &store.DumpReading{User: "nobody", WorkID: nw.ID, Views: 1, FirstReadAt: f.at, LastReadAt: f.at})
		},
		"bookmark of a missing series": func(w store.DumpWriter) error {
			return w.PutBookmark(ctx, &store.DumpBookmark{Bookmark: archive.Bookmark{ID: 1 << 30, UserName: "dumpann", OfSeries: true, SeriesID: 1 << 40, CreatedAt: f.at, UpdatedAt: f.at}})
		},
	} {
		err := dst.ImportDump(ctx, false, put)
		var ve *archive.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: %v, want a validation error", name, err)
		}
	}
	if _, err := dst.Reading(ctx, bob.ID, nw.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("a refused reading was written: %v", err)
	}
	// A reading already there is a conflict.
	if err := dst.ImportDump(ctx, false, func(w store.DumpWriter) error {
		return w.PutReading(ctx, &store.DumpReading{User: "dumpbob", WorkID: f.w1, Views: 1, FirstReadAt: f.at, LastReadAt: f.at})
	}); !errors.Is(err, archive.ErrConflict) {
		t.Errorf("a second reading of the same work: %v, want ErrConflict", err)
	}
}

// dumpFixture is what fillForDump made.
type dumpFixture struct {
	at                                           time.Time
	w1, w2, w3, w1ch2, series, hiddenComment     int64
	maxWork, maxChapter, maxComment, maxBookmark int64
}

// fillForDump writes one of everything the dump carries, through the
// store's ordinary writes.
func fillForDump(t *testing.T, st store.Store) dumpFixture {
	ctx := context.Background()
	at := time.Date(2024, 11, 2, 10, 0, 0, 0, time.UTC)
	f := dumpFixture{at: at}
	must(t, st.ImportTags(ctx, []store.TagSpec{
		{Type: archive.TypeFandom, Name: "Dump Fandom", Canonical: true},
		{Type: archive.TypeFreeform, Name: "Found Family", Canonical: true},
		{Type: archive.TypeFreeform, Name: "found fam", SynonymOf: "Found Family"},
		{Type: archive.TypeCharacter, Name: "Rin", Canonical: true, Parents: []string{"Dump Fandom"}},
	}))
	ann := &archive.User{Name: "dumpann", Email: "ann@example.test", PasswordHash: "ann-hash", Roles: []string{archive.RoleAdmin},
		Preferences: archive.Preferences{ViewAdult: true}}
	must(t, st.CreateUser(ctx, ann))
	bob := &archive.User{Name: "dumpbob", Email: "bob@example.test", PasswordHash: "bob-hash"}
	must(t, st.CreateUser(ctx, bob))
	cat := newUser(t, st, "dumpcat")
	quill, err := st.CreatePseud(ctx, ann.ID, "Ann Quill")
	must(t, err)
	must(t, st.CreateToken(ctx, "bob-api-hash", bob.ID, "laptop"))
	must(t, st.SetFeedToken(ctx, bob.ID, "bob-feed-token", at))
	ff, err := st.TagByName(ctx, archive.TypeFreeform, "Found Family")
	must(t, err)
	must(t, st.SetMutedTags(ctx, bob.ID, []int64{ff.ID}))
	must(t, st.SetMutedUsers(ctx, bob.ID, []int64{cat.ID}))
	must(t, st.Block(ctx, bob.ID, cat.ID, at))
	must(t, st.SetBio(ctx, ann.ID, archive.Rich{Source: "I *write*.", Format: archive.FormatMarkdown, HTML: "<p>I <em>write</em>.</p>"}))

	w1 := postWorkBy(t, st, mainPseud(t, st, ann), "Dumped One", basicTags("Dump Fandom", "found fam"), "first", "second")
	draft := &archive.Chapter{WorkID: w1.ID, Title: "Not Yet", Body: archive.Rich{Source: "draft", Format: archive.FormatHTML, HTML: "<p>draft</p>"}, Words: 1, Draft: true}
	must(t, st.CreateChapter(ctx, draft))
	w2 := postWorkBy(t, st, mainPseud(t, st, ann), "Dumped Two", basicTags("Dump Fandom"), "a", "b")
	must(t, st.SetWorkCreators(ctx, w2.ID, []int64{quill.ID}))
	w2.Restricted = true
	got2 := mustWork(t, st, w2.ID)
	got2.Restricted = true
	must(t, st.UpdateWork(ctx, got2))
	w3 := postWork(t, st, cat, "Dumped Three", basicTags("Dump Fandom"), "c")
	must(t, st.SetWorkHidden(ctx, w3.ID, true, "copied text", audit("dumpann", archive.AuditHideWork, fmt.Sprintf("work:%d", w3.ID), "copied text")))
	gone := postWork(t, st, cat, "Gone Soon", basicTags("Dump Fandom"), "d")
	f.w1, f.w2, f.w3 = w1.ID, w2.ID, w3.ID

	sr := &archive.Series{Title: "Dumped Saga", Complete: true,
		Summary: archive.Rich{Source: "a saga", Format: archive.FormatHTML, HTML: "<p>a saga</p>"}}
	must(t, st.CreateSeries(ctx, sr, []int64{quill.ID, mainPseud(t, st, ann)}))
	must(t, st.SetSeriesWork(ctx, sr.ID, w2.ID, 0))
	must(t, st.SetSeriesWork(ctx, sr.ID, w1.ID, 0))
	f.series = sr.ID

	c1, err := st.Chapters(ctx, w1.ID, false)
	must(t, err)
	f.w1ch2 = c1[1].ID
	rich := func(s string) archive.Rich {
		return archive.Rich{Source: s, Format: archive.FormatHTML, HTML: "<p>" + s + "</p>"}
	}
	top := &archive.Comment{WorkID: w1.ID, ChapterID: c1[0].ID, UserID: bob.ID, PseudID: defaultPseud(t, st, bob), Approved: true, CreatedAt: at, Body: rich("lovely"), AddressHash: "addr-1"}
	must(t, st.CreateComment(ctx, top))
	reply := &archive.Comment{WorkID: w1.ID, ChapterID: c1[0].ID, ParentID: top.ID, GuestName: "Visitor", GuestEmail: "v@example.test", Approved: true, CreatedAt: at.Add(time.Minute), Body: rich("agreed")}
	must(t, st.CreateComment(ctx, reply))
	held := &archive.Comment{WorkID: w1.ID, ChapterID: c1[1].ID, UserID: cat.ID, PseudID: defaultPseud(t, st, cat), CreatedAt: at, Body: rich("waiting")}
	must(t, st.CreateComment(ctx, held))
	hidden := &archive.Comment{WorkID: w1.ID, ChapterID: c1[1].ID, UserID: cat.ID, PseudID: defaultPseud(t, st, cat), Approved: true, CreatedAt: at, Body: rich("rude")}
	must(t, st.CreateComment(ctx, hidden))
	must(t, st.SetCommentHidden(ctx, hidden.ID, true, audit("dumpann", archive.AuditHideComment, fmt.Sprintf("comment:%d", hidden.ID), "rude")))
	f.hiddenComment = hidden.ID
	edited := &archive.Comment{WorkID: w1.ID, ChapterID: c1[1].ID, UserID: bob.ID, PseudID: defaultPseud(t, st, bob), Approved: true, CreatedAt: at, Body: rich("frist")}
	must(t, st.CreateComment(ctx, edited))
	edited.Body, edited.EditedAt, edited.Frozen = rich("first!"), at.Add(time.Hour), true
	must(t, st.UpdateComment(ctx, edited))
	must(t, st.DeleteComment(ctx, top.ID)) // has a reply: kept, blanked
	f.maxComment = edited.ID

	must(t, st.AddKudos(ctx, &archive.Kudo{WorkID: w1.ID, UserID: bob.ID, CreatedAt: at}))
	must(t, st.AddKudos(ctx, &archive.Kudo{WorkID: w1.ID, GuestKey: "guest-1", CreatedAt: at.Add(time.Minute)}))
	must(t, st.AddKudos(ctx, &archive.Kudo{WorkID: w2.ID, UserID: cat.ID, CreatedAt: at}))

	bm := &archive.Bookmark{UserID: bob.ID, WorkID: w1.ID, Notes: rich("must reread"), Tags: []string{"comfort", "reread"}, Rec: true, CreatedAt: at, UpdatedAt: at}
	must(t, st.CreateBookmark(ctx, bm))
	must(t, st.CreateBookmark(ctx, &archive.Bookmark{UserID: cat.ID, WorkID: w2.ID, Private: true, CreatedAt: at, UpdatedAt: at}))
	must(t, st.CreateBookmark(ctx, &archive.Bookmark{UserID: bob.ID, OfSeries: true, SeriesID: sr.ID, Tags: []string{"saga"}, CreatedAt: at, UpdatedAt: at}))
	last := &archive.Bookmark{UserID: bob.ID, WorkID: gone.ID, Notes: rich("was good"), CreatedAt: at, UpdatedAt: at}
	must(t, st.CreateBookmark(ctx, last))
	f.maxBookmark = last.ID
	// The highest ids the dump carries (a deleted work's are not in it).
	c3, err := st.Chapters(ctx, w3.ID, false)
	must(t, err)
	f.maxWork, f.maxChapter = w3.ID, c3[0].ID
	must(t, st.DeleteWork(ctx, gone.ID)) // its bookmark stays, naming it

	for _, sub := range []*store.Subscription{
		{UserID: bob.ID, Kind: store.SubWork, Target: w1.ID, CreatedAt: at},
		{UserID: bob.ID, Kind: store.SubSeries, Target: sr.ID, CreatedAt: at},
		{UserID: bob.ID, Kind: store.SubUser, Target: ann.ID, CreatedAt: at},
	} {
		must(t, st.Subscribe(ctx, sub))
	}

	must(t, st.RecordReading(ctx, bob.ID, w1.ID, c1[0].ID, at))
	must(t, st.RecordReading(ctx, bob.ID, w1.ID, c1[1].ID, at.Add(time.Hour)))
	must(t, st.MarkForLater(ctx, bob.ID, w1.ID, true, at.Add(time.Hour)))
	w2cs, err := st.Chapters(ctx, w2.ID, false)
	must(t, err)
	must(t, st.RecordReading(ctx, bob.ID, w2.ID, w2cs[1].ID, at))
	must(t, st.DeleteChapter(ctx, w2.ID, w2cs[1].ID))
	must(t, st.RecordReading(ctx, cat.ID, w1.ID, 0, at))

	must(t, st.ImportDump(ctx, false, func(w store.DumpWriter) error {
		for _, r := range []store.DumpRedirect{
			{From: "/viewstory.php?sid=3", To: fmt.Sprintf("/works/%d", w1.ID)},
			{From: "/viewuser.php?uid=1", To: "/users/dumpann"},
		} {
			if err := w.PutRedirect(ctx, &r); err != nil {
				return err
			}
		}
		return nil
	}))

	must(t, st.CreateReport(ctx, &archive.Report{Target: archive.ReportTarget{Kind: archive.ReportWork, ID: w1.ID}, Reason: "spam", Details: "adverts",
		ReporterID: bob.ID, Snapshot: archive.ReportSnapshot{Title: "Dumped One", By: "dumpann", Text: "first"}, CreatedAt: at}))
	post := &archive.NewsPost{Title: "Welcome", Body: rich("hello"), AuthorID: ann.ID, CreatedAt: at, UpdatedAt: at}
	must(t, st.CreateNewsPost(ctx, post))
	must(t, st.CreateNewsComment(ctx, &archive.NewsComment{PostID: post.ID, UserID: bob.ID, Body: rich("hi"), CreatedAt: at}))
	return f
}

func exportAll(t *testing.T, st store.Store, secrets bool) []store.DumpRecord {
	t.Helper()
	var out []store.DumpRecord
	must(t, st.ExportDump(context.Background(), secrets, func(r store.DumpRecord) error {
		out = append(out, r)
		return nil
	}))
	return out
}

// putAll writes exported records through a DumpWriter, in the order
// internal/dump does: every record as it comes, mutes and blocks last.
func putAll(ctx context.Context, w store.DumpWriter, recs []store.DumpRecord) error {
	var users []*store.DumpUser
	for _, r := range recs {
		var err error
		switch {
		case r.Tag != nil:
			err = w.PutTag(ctx, *r.Tag)
		case r.User != nil:
			u := *r.User
			users = append(users, &u)
			err = w.PutUser(ctx, &u)
		case r.Work != nil:
			dw := *r.Work
			wk := *dw.Work
			dw.Work = &wk
			dw.Chapters = nil
			for _, c := range r.Work.Chapters {
				cc := *c
				dw.Chapters = append(dw.Chapters, &cc)
			}
			err = w.PutWork(ctx, &dw)
		case r.Comment != nil:
			c := *r.Comment
			err = w.PutComment(ctx, &c)
		case r.Kudos != nil:
			k := *r.Kudos
			err = w.PutKudos(ctx, &k)
		case r.Bookmark != nil:
			b := *r.Bookmark
			err = w.PutBookmark(ctx, &b)
		case r.Series != nil:
			s := *r.Series
			err = w.PutSeries(ctx, &s)
		case r.Subscription != nil:
			s := *r.Subscription
			err = w.PutSubscription(ctx, &s)
		case r.Reading != nil:
			x := *r.Reading
			err = w.PutReading(ctx, &x)
		case r.Redirect != nil:
			x := *r.Redirect
			err = w.PutRedirect(ctx, &x)
		case r.Report != nil:
			x := *r.Report
			err = w.PutReport(ctx, &x)
		case r.Audit != nil:
			x := *r.Audit
			err = w.PutAudit(ctx, &x)
		case r.NewsPost != nil:
			x := *r.NewsPost
			err = w.PutNewsPost(ctx, &x)
		case r.NewsComment != nil:
			x := *r.NewsComment
			err = w.PutNewsComment(ctx, &x)
		case r.CreatorInvitation != nil:
			x := *r.CreatorInvitation
			err = w.PutCreatorInvitation(ctx, &x)
		default:
			err = fmt.Errorf("an empty record")
		}
		if err != nil {
			return err
		}
	}
	for _, u := range users {
		if err := w.PutUserLinks(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// dumpLines renders records as JSON lines for comparison, without the
// row ids the dump does not carry across archives (accounts', pseuds',
// audit entries').
func dumpLines(t *testing.T, recs []store.DumpRecord) []string {
	t.Helper()
	var out []string
	for _, r := range recs {
		b, err := json.Marshal(r)
		must(t, err)
		var v map[string]any
		must(t, json.Unmarshal(b, &v))
		for k, x := range v {
			if x == nil {
				delete(v, k)
			}
		}
		scrubIDs(v, "")
		b, err = json.Marshal(v)
		must(t, err)
		out = append(out, string(b))
	}
	return out
}

// scrubIDs zeroes the ids that an import renumbers.
func scrubIDs(v any, path string) {
	switch x := v.(type) {
	case map[string]any:
		for k, y := range x {
			p := path + "." + k
			switch {
			case k == "UserID" || k == "PseudID" || k == "AuthorID" || k == "ReporterID" || k == "AssigneeID":
				x[k] = 0
			case k == "ID" && (p == ".User.User.ID" || p == ".Audit.ID"):
				x[k] = 0
			default:
				scrubIDs(y, p)
			}
		}
	case []any:
		for _, y := range x {
			scrubIDs(y, path+"[]")
		}
	}
}

// recordKind is a dump line's record kind: its one key.
func recordKind(l string) string {
	var v map[string]json.RawMessage
	if err := json.Unmarshal([]byte(l), &v); err != nil || len(v) != 1 {
		return "?"
	}
	for k := range v {
		return k
	}
	return "?"
}

func mustUser(t *testing.T, st store.Store, name string) *archive.User {
	t.Helper()
	u, err := st.UserByName(context.Background(), name)
	must(t, err)
	return u
}

// mainPseud is the account's default pseud, whatever others it has.
func mainPseud(t *testing.T, st store.Store, u *archive.User) int64 {
	t.Helper()
	ps, err := st.Pseuds(context.Background(), u.ID)
	must(t, err)
	for _, p := range ps {
		if p.IsDefault {
			return p.ID
		}
	}
	t.Fatalf("%s has no default pseud: %+v", u.Name, ps)
	return 0
}
