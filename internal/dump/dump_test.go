package dump_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/dump"
	"quire/internal/store"
	"quire/internal/store/sqlite"
	"quire/internal/store/sqlstore"
	"quire/internal/store/testdb"
	"quire/internal/text"
)

var now = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T) *sqlstore.Store {
	t.Helper()
	return testdb.Open(t)
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
	dave := &archive.User{Name: "dave", Email: "dave@example.test", CreatedAt: time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)}
	for _, u := range []*archive.User{alice, bob, carol, dave} {
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
	members := post(t, st, []int64{pb}, archive.WorkInput{Title: "Members Only", Rating: "Mature", Warnings: []string{archive.WarningViolence, archive.WarningMCD},
		Fandoms: []string{"Original Work"}, Language: "fr", Restricted: true, CommentPermission: archive.CommentsEveryone, ModeratedComments: true,
		PostedAt: time.Date(2022, 7, 8, 9, 10, 11, 0, time.UTC), Chapters: []archive.ChapterInput{{Body: "Bonjour. 日本語のテキスト。"}}})
	hidden := post(t, st, []int64{pc}, archive.WorkInput{Title: "Hidden by a moderator", Rating: "Explicit", Warnings: []string{archive.WarningNone},
		Fandoms: []string{"Original Work"}, Chapters: []archive.ChapterInput{{Body: "text"}}})
	must(t, st.SetWorkHidden(ctx, hidden.ID, true, "reported twice", &archive.AuditEntry{Actor: "mod", Action: archive.AuditHideWork,
		Target: fmt.Sprintf("work:%d", hidden.ID), Reason: "reported twice", At: time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)}))
	must(t, st.SuspendUser(ctx, dave.ID, time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), "cooling off", &archive.AuditEntry{Actor: "mod",
		Action: archive.AuditSuspend, Target: "user:dave", Reason: "cooling off", At: time.Date(2024, 2, 4, 4, 5, 6, 0, time.UTC)}))
	// A new account's work held for review stays held in the copy.
	_, err = st.DB().ExecContext(ctx, `INSERT INTO work_reviews (work_id, created_at) VALUES (?, ?)`, members.ID, 1)
	must(t, err)
	orphaned := post(t, st, []int64{pc}, archive.WorkInput{Title: "Orphaned", Rating: "General Audiences", Warnings: []string{archive.WarningNone},
		Fandoms: []string{"Original Work"}, Chapters: []archive.ChapterInput{{Body: "left behind"}}})
	doomed := post(t, st, []int64{pb}, archive.WorkInput{Title: "Soon Deleted", Rating: "Not Rated", Warnings: []string{archive.WarningNone},
		Fandoms: []string{"Original Work"}, Chapters: []archive.ChapterInput{{Body: "gone"}}})

	// Comments: a thread whose top comment is deleted (kept as a
	// placeholder), a guest's reply, a reply by a second pseud, an edited
	// and frozen comment, one by an account deleted since, and a held one.
	ch := func(workID int64) int64 {
		var id int64
		must(t, st.DB().QueryRowContext(ctx, `SELECT id FROM chapters WHERE work_id = ? ORDER BY position LIMIT 1`, workID).Scan(&id))
		return id
	}
	at := func(d int) time.Time { return time.Date(2023, 1, d, 10, 0, 0, 0, time.UTC) }
	md := func(s string) archive.Rich {
		return archive.Rich{Source: s, Format: archive.FormatMarkdown, HTML: text.Render(s, "markdown")}
	}
	comment := func(c *archive.Comment) *archive.Comment {
		t.Helper()
		if c.Body.Format == "" {
			c.Body = archive.Rich{Source: c.Body.Source, Format: archive.FormatHTML, HTML: text.Render(c.Body.Source, "html")}
		}
		c.Approved = !c.Approved // the literal says "held"
		must(t, st.CreateComment(ctx, c))
		return c
	}
	c1 := comment(&archive.Comment{WorkID: w1.ID, ChapterID: ch(w1.ID), UserID: bob.ID, PseudID: pb, Body: md("Top *comment*."), CreatedAt: at(1)})
	c2 := comment(&archive.Comment{WorkID: w1.ID, ChapterID: ch(w1.ID), ParentID: c1.ID, GuestName: "Guest Reader", GuestEmail: "guest@example.test",
		Body: archive.Rich{Source: "<p>A guest's reply</p><script>x</script>"}, AddressHash: "addrhash-secret", CreatedAt: at(2)})
	comment(&archive.Comment{WorkID: w1.ID, ChapterID: ch(w1.ID), ParentID: c2.ID, UserID: alice.ID, PseudID: ally, Body: md("Thanks!"), CreatedAt: at(3)})
	c5 := comment(&archive.Comment{WorkID: w1.ID, ChapterID: c4.ID, UserID: alice.ID, PseudID: pa, Body: md("First draft"), CreatedAt: at(4)})
	c5.Body, c5.EditedAt, c5.Frozen = md("Edited **text**"), at(5), true
	must(t, st.UpdateComment(ctx, c5))
	must(t, st.SetCommentHidden(ctx, c5.ID, true, &archive.AuditEntry{Actor: "mod", Action: archive.AuditHideComment,
		Target: fmt.Sprintf("comment:%d", c5.ID), Reason: "off topic", At: time.Date(2024, 2, 1, 4, 5, 6, 0, time.UTC)}))
	comment(&archive.Comment{WorkID: w1.ID, ChapterID: ch(w1.ID), UserID: carol.ID, PseudID: pc, Body: md("By someone who left."), CreatedAt: at(6)})
	comment(&archive.Comment{WorkID: members.ID, ChapterID: ch(members.ID), GuestName: "Anon", GuestEmail: "anon@example.test", Approved: true,
		Body: md("Held for moderation."), AddressHash: "addrhash-secret", CreatedAt: at(7)})
	must(t, st.DeleteComment(ctx, c1.ID))

	// Kudos: accounts, guests, and an account deleted since.
	for _, k := range []archive.Kudo{
		{WorkID: w1.ID, UserID: alice.ID, CreatedAt: at(1)}, {WorkID: w1.ID, GuestKey: "guestkey-secret-1", CreatedAt: at(1)},
		{WorkID: w1.ID, UserID: carol.ID, CreatedAt: at(2)}, {WorkID: w1.ID, GuestKey: "guestkey-secret-2", CreatedAt: at(3)},
		{WorkID: members.ID, UserID: dave.ID, CreatedAt: at(4)}, {WorkID: orphaned.ID, GuestKey: "guestkey-secret-3", CreatedAt: at(5)},
	} {
		must(t, st.AddKudos(ctx, &k))
	}

	// Bookmarks: public and rec with tags, private, and one of a work
	// deleted since.
	for _, b := range []archive.Bookmark{
		{UserID: bob.ID, WorkID: w1.ID, Notes: md("A *classic*."), Tags: []string{"Favourites", "re-read"}, Rec: true, CreatedAt: at(8), UpdatedAt: at(9)},
		{UserID: alice.ID, WorkID: members.ID, Tags: []string{"later"}, Private: true, CreatedAt: at(8), UpdatedAt: at(8)},
		{UserID: dave.ID, WorkID: doomed.ID, Notes: archive.Rich{Source: "<p>loved it</p>", Format: archive.FormatHTML, HTML: "<p>loved it</p>"}, CreatedAt: at(10), UpdatedAt: at(10)},
		{UserID: dave.ID, WorkID: w1.ID, CreatedAt: at(11), UpdatedAt: at(11)},
	} {
		must(t, st.CreateBookmark(ctx, &b))
	}
	must(t, st.DeleteWork(ctx, doomed.ID))

	// Reports: by an account, resolved with a note and an assignee; by a
	// guest with an address (whose hash never leaves); by an account
	// deleted since; of an account deleted since.
	for _, r := range []*archive.Report{
		{Target: archive.ReportTarget{Kind: "work", ID: w1.ID}, Reason: "plagiarism", Details: "Copied from\na zine.", ReporterID: bob.ID,
			Snapshot: archive.ReportSnapshot{Title: "Amok Time", By: "ally", Rating: "General Audiences", Warnings: []string{"No Archive Warnings Apply"},
				Tags: []string{"Star Trek"}, Text: "The first chapter.", URL: "/works/1"}, CreatedAt: at(8)},
		{Target: archive.ReportTarget{Kind: "user", ID: dave.ID, Name: "dave"}, Reason: "spam", ReporterEmail: "guest@example.test",
			AddressHash: "addrhash-report", Snapshot: archive.ReportSnapshot{Title: "dave", By: "dave", Text: "Pseuds: dave"}, CreatedAt: at(9)},
		{Target: archive.ReportTarget{Kind: "comment", ID: c5.ID}, Reason: "harassment", ReporterID: carol.ID,
			Snapshot: archive.ReportSnapshot{Title: "Comment on Amok Time", Text: "First draft", Truncated: true}, CreatedAt: at(10)},
		{Target: archive.ReportTarget{Kind: "user", ID: carol.ID, Name: "carol"}, Reason: "other", ReporterID: dave.ID, CreatedAt: at(11)},
	} {
		must(t, st.CreateReport(ctx, r))
	}
	must(t, st.UpdateReport(ctx, 1, archive.ReportResolved, alice.ID, &archive.ReportNote{AuthorID: alice.ID, Author: "alice", Text: "Checked the zine.", At: at(12)}, at(12)))
	must(t, st.UpdateReport(ctx, 1, archive.ReportResolved, alice.ID, &archive.ReportNote{AuthorID: bob.ID, Author: "bob", Text: "Agreed.", At: at(13)}, at(13)))

	// News: a post by an admin with comments (one by an account deleted
	// below), and one whose author is gone.
	news := &archive.NewsPost{Title: "Archive news", Body: md("We *moved* servers."), AuthorID: alice.ID, CreatedAt: at(7), UpdatedAt: at(8)}
	must(t, st.CreateNewsPost(ctx, news))
	gone := &archive.NewsPost{Title: "Old news", Body: archive.Rich{Source: "<p>Hello</p>", Format: archive.FormatHTML, HTML: "<p>Hello</p>"}, AuthorID: carol.ID, CreatedAt: at(9), UpdatedAt: at(9)}
	must(t, st.CreateNewsPost(ctx, gone))
	for _, c := range []archive.NewsComment{
		{PostID: news.ID, UserID: dave.ID, Body: md("Thanks for the *news*."), CreatedAt: at(9)},
		{PostID: news.ID, UserID: carol.ID, Body: md("Goodbye."), CreatedAt: at(10)},
		{PostID: gone.ID, UserID: bob.ID, Body: md("Noted."), CreatedAt: at(10)},
	} {
		must(t, st.CreateNewsComment(ctx, &c))
	}
	// Collections: a fest with a sub-collection, maintainers, an anonymous
	// approved item and a pending one; gifts, one of them refused.
	fest := &archive.Collection{Name: "Zine_Fest", Title: "Zine Fest", Description: md("A *zine*."), Open: true, Anonymous: true, CreatedAt: at(14), UpdatedAt: at(14)}
	must(t, st.CreateCollection(ctx, fest, alice.ID))
	must(t, st.SetMaintainer(ctx, fest.ID, bob.ID, archive.CollectionModerator))
	art := &archive.Collection{Name: "Zine_Art", Title: "Zine Art", ParentID: fest.ID, CreatedAt: at(15), UpdatedAt: at(15)}
	must(t, st.CreateCollection(ctx, art, bob.ID))
	must(t, st.PutCollectionItem(ctx, fest.ID, 1, archive.ItemApproved))
	must(t, st.PutCollectionItem(ctx, art.ID, 2, archive.ItemPending))
	must(t, st.SetWorkGifts(ctx, 1, []archive.Gift{{Name: "dave", UserID: dave.ID}, {Name: "A Friend"}}))
	must(t, st.RefuseGift(ctx, 1, dave.ID))
	must(t, st.SetWorkGifts(ctx, 2, []archive.Gift{{Name: "bob", UserID: bob.ID}}))
	// Related works: work 2 translates work 1 (approved) and names a
	// story elsewhere; work 3 remixes work 1 (rejected).
	must(t, st.SetRelatedWorks(ctx, 2, []archive.RelatedWork{
		{ParentID: 1, Kind: archive.RelatedTranslation, State: archive.RelatedPending},
		{URL: "https://elsewhere.example/story?id=7&x=1", Title: "Far <Story>", Creator: "Someone", Kind: archive.RelatedInspiredBy, State: archive.RelatedApproved}}))
	must(t, st.SetRelatedState(ctx, 1, 2, archive.RelatedApproved))
	must(t, st.SetRelatedWorks(ctx, 3, []archive.RelatedWork{{ParentID: 1, Kind: archive.RelatedRemix, State: archive.RelatedPending}}))
	must(t, st.SetRelatedState(ctx, 1, 3, archive.RelatedRejected))
	// A gift exchange on the fest: settings with a tag set, two
	// sign-ups (one leaves characters open), matching, one assignment
	// sent and fulfilled by work 1, the other defaulted.
	ex := &archive.Challenge{CollectionID: fest.ID, Kind: archive.GiftExchange, SignupsOpenAt: at(14), SignupsCloseAt: at(15),
		Settings: archive.DefaultChallengeSettings(), CreatedAt: at(14), UpdatedAt: at(14)}
	ex.Settings.TagSet = []string{"Star Trek", "Kirk"}
	ex.Settings.Tags[archive.TypeCharacter] = archive.TagRule{Request: archive.Range{Max: 2}, Offer: archive.Range{Max: 3}, Any: true, Match: archive.MatchAll}
	must(t, st.PutChallenge(ctx, ex))
	sa := &archive.Signup{CollectionID: fest.ID, UserID: alice.ID, CreatedAt: at(14), UpdatedAt: at(14),
		Requests: []archive.Prompt{{Kind: archive.PromptRequest, Tags: map[archive.TagType][]string{archive.TypeFandom: {"Star Trek"}, archive.TypeCharacter: {"Kirk"}},
			Details: md("Something *bright*."), URL: "https://example.test/prompt?a=1&b=2"}},
		Offers: []archive.Prompt{{Kind: archive.PromptOffer, Tags: map[archive.TagType][]string{archive.TypeFandom: {"Star Trek"}}, Any: []archive.TagType{archive.TypeCharacter}}}}
	must(t, st.SaveSignup(ctx, sa))
	sb := &archive.Signup{CollectionID: fest.ID, UserID: bob.ID, CreatedAt: at(14), UpdatedAt: at(14),
		Requests: []archive.Prompt{{Kind: archive.PromptRequest, Tags: map[archive.TagType][]string{archive.TypeFandom: {"Star Trek"}}}},
		Offers:   []archive.Prompt{{Kind: archive.PromptOffer, Tags: map[archive.TagType][]string{archive.TypeFandom: {"Star Trek"}, archive.TypeCharacter: {"Kirk"}}}}}
	must(t, st.SaveSignup(ctx, sb))
	must(t, st.SaveMatching(ctx, fest.ID, []archive.Assignment{
		{RecipientID: alice.ID, GiverID: bob.ID, RequestID: sa.Requests[0].ID, OfferID: sb.Offers[0].ID},
		{RecipientID: bob.ID, GiverID: alice.ID, RequestID: sb.Requests[0].ID}}, at(15)))
	must(t, st.AddPinchHitter(ctx, fest.ID, alice.ID, at(15)))
	sent, err := st.MarkAssignmentsSent(ctx, fest.ID, at(15))
	must(t, err)
	sent[0].FulfilledBy, sent[0].UpdatedAt = 1, at(16)
	must(t, st.UpdateAssignment(ctx, &sent[0]))
	sent[1].DefaultedAt, sent[1].PinchHit, sent[1].UpdatedAt = at(16), true, at(16)
	must(t, st.UpdateAssignment(ctx, &sent[1]))

	// A prompt meme on the art collection: an anonymous prompt, one by
	// carol (deleted below: its poster goes), bob's claim filled by work
	// 2 and dave's open one.
	must(t, st.PutChallenge(ctx, &archive.Challenge{CollectionID: art.ID, Kind: archive.PromptMeme, SignupsCloseAt: at(16),
		Settings: archive.DefaultPromptMemeSettings(), CreatedAt: at(15), UpdatedAt: at(15)}))
	mpa := &archive.Prompt{CollectionID: art.ID, UserID: alice.ID, Title: "Lamplight", Details: md("A *storm*."), Anonymous: true,
		Tags: map[archive.TagType][]string{archive.TypeFandom: {"Star Trek"}, archive.TypeCharacter: {"Kirk"}}, CreatedAt: at(15), UpdatedAt: at(16)}
	must(t, st.AddMemePrompt(ctx, mpa))
	mpc := &archive.Prompt{CollectionID: art.ID, UserID: carol.ID, Details: md("Rain."), Any: []archive.TagType{archive.TypeFandom},
		Tags: map[archive.TagType][]string{}, CreatedAt: at(15), UpdatedAt: at(15)}
	must(t, st.AddMemePrompt(ctx, mpc))
	cb := &archive.Claim{PromptID: mpa.ID, UserID: bob.ID, CreatedAt: at(15)}
	must(t, st.AddClaim(ctx, cb))
	must(t, st.AddClaim(ctx, &archive.Claim{PromptID: mpc.ID, UserID: dave.ID, CreatedAt: at(16)}))
	must(t, st.SetWorkFills(ctx, 2, []int64{cb.ID}, at(16)))

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

	// Mutes (a synonym among the tags; a user named before their line)
	// and blocks.
	var muted []int64
	for _, tg := range []struct {
		typ  archive.TagType
		name string
	}{{archive.TypeCharacter, "Spock"}, {archive.TypeFreeform, "Fluff"}, {archive.TypeFandom, "Original Work"}} {
		tag, err := st.TagByName(ctx, tg.typ, tg.name)
		must(t, err)
		muted = append(muted, tag.ID)
	}
	must(t, st.SetMutedTags(ctx, alice.ID, muted))
	must(t, st.SetMutedUsers(ctx, alice.ID, []int64{dave.ID, bob.ID}))
	must(t, st.Block(ctx, bob.ID, dave.ID, at(12)))
	must(t, st.Block(ctx, dave.ID, alice.ID, at(12)))

	// Series (a work in two of them), subscriptions of every kind, reading
	// history (one with no chapter, one marked for later) and a redirect.
	s1 := &archive.Series{Title: "Voyages", Summary: md("The *voyages*."), Complete: true, CreatedAt: at(13), UpdatedAt: at(14)}
	must(t, st.CreateSeries(ctx, s1, []int64{pa, pb}))
	must(t, st.SetSeriesWork(ctx, s1.ID, members.ID, 0))
	must(t, st.SetSeriesWork(ctx, s1.ID, w1.ID, 1))
	s2 := &archive.Series{Title: "Later Voyages", CreatedAt: at(15)}
	must(t, st.CreateSeries(ctx, s2, []int64{pb}))
	must(t, st.SetSeriesWork(ctx, s2.ID, w1.ID, 0))
	// Bookmarks of series: one of a series that stays, one of a series
	// deleted since (it keeps the title).
	s3 := &archive.Series{Title: "Abandoned Voyages", CreatedAt: at(15)}
	must(t, st.CreateSeries(ctx, s3, []int64{pb}))
	for _, b := range []archive.Bookmark{
		{UserID: dave.ID, OfSeries: true, SeriesID: s1.ID, Notes: md("The whole *arc*."), Tags: []string{"arcs"}, Rec: true, CreatedAt: at(15), UpdatedAt: at(16)},
		{UserID: alice.ID, OfSeries: true, SeriesID: s3.ID, Private: true, CreatedAt: at(15), UpdatedAt: at(15)},
	} {
		must(t, st.CreateBookmark(ctx, &b))
	}
	must(t, st.DeleteSeries(ctx, s3.ID))
	must(t, st.SetFeedToken(ctx, alice.ID, "feedtoken-alice", at(22)))
	for _, sub := range []store.Subscription{
		{UserID: alice.ID, Kind: "work", Target: members.ID, CreatedAt: at(16)},
		{UserID: dave.ID, Kind: "series", Target: s1.ID, CreatedAt: at(16)},
		{UserID: dave.ID, Kind: "user", Target: bob.ID, CreatedAt: at(17)},
	} {
		must(t, st.Subscribe(ctx, &sub))
	}
	must(t, st.RecordReading(ctx, dave.ID, w1.ID, c4.ID, at(18)))
	must(t, st.RecordReading(ctx, dave.ID, w1.ID, c4.ID, at(19)))
	must(t, st.MarkForLater(ctx, alice.ID, members.ID, true, at(20)))
	must(t, st.RecordReading(ctx, bob.ID, orphaned.ID, 0, at(21)))
	must(t, st.HideWork(ctx, dave.ID, members.ID, at(22)))
	must(t, st.PutSavedSearch(ctx, &store.SavedSearch{UserID: dave.ID, Name: "Long complete fics", Params: "complete=true&tag=Star+Trek&words_from=10000",
		Digest: "weekly", DigestSince: at(22), FeedToken: "searchtoken-dave", CreatedAt: at(22), UpdatedAt: at(23)}))
	must(t, st.PutSavedSearch(ctx, &store.SavedSearch{UserID: dave.ID, Name: "Everything", Params: "", Default: true,
		Digest: "off", FeedToken: "searchtoken-dave-2", CreatedAt: at(23), UpdatedAt: at(23)}))
	if trek, err := st.TagByName(ctx, archive.TypeFandom, "Star Trek"); err == nil {
		must(t, st.SetTagMedia(ctx, trek.ID, "TV Shows"))
	} else {
		t.Fatal(err)
	}
	_, err = st.DB().ExecContext(ctx, `INSERT INTO redirects (from_path, to_path) VALUES (?, ?)`, "/viewstory.php?sid=7", fmt.Sprintf("/works/%d", w1.ID))
	must(t, err)

	// The site's settings, its banner (set twice), the invitation queue
	// (in an order that is not the addresses') and invitations: one the
	// archive sent and dave used, two given to bob, one of them sent on.
	must(t, st.SetSettings(ctx, map[string]string{"signup": "invite", "review_first_works": "1", "refuse_ratings": "Explicit\nMature"}))
	_, err = st.SetBanner(ctx, md("Read the *rules*."), at(20))
	must(t, err)
	_, err = st.SetBanner(ctx, md("Read the **rules**."), at(21))
	must(t, err)
	for i, addr := range []string{"queued-b@example.test", "queued-a@example.test"} {
		_, err := st.QueueInviteRequest(ctx, addr, at(3+i))
		must(t, err)
	}
	must(t, st.CreateInvitation(ctx, &archive.Invitation{Email: "friend@example.test", SentAt: at(5)}, "invhash-1"))
	_, err = st.DB().ExecContext(ctx, `UPDATE invitations SET used_at = ?, used_by = ? WHERE token_hash = 'invhash-1'`, at(6).Unix(), dave.ID)
	must(t, err)
	must(t, st.GiveInvitations(ctx, bob.ID, 2, at(6)))
	_, err = st.SendOwnedInvitation(ctx, bob.ID, "pal@example.test", "invhash-2", at(7))
	must(t, err)
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
			if bytes.Count(a, []byte(`"awaiting_review":true`)) != 1 {
				t.Error("the export does not keep the work held for review")
			}
			dst := open(t)
			stats, err := importInto(t, dst, a, dump.ImportOptions{})
			must(t, err)
			if want := (dump.Stats{Users: 3, Tags: stats.Tags, Works: 5, Comments: 6, Kudos: 6, Bookmarks: 6,
				Series: 2, Subscriptions: 3, Readings: 3, Redirects: 1, Reports: 4, Audit: 3, NewsPosts: 2, NewsComments: 3,
				Settings: 3, Banners: 1, InviteRequests: 2, Invitations: 3,
				Collections: 2, CollectionItems: 5, RelatedWorks: 3, Challenges: 10}); stats != want || stats.Tags == 0 {
				t.Errorf("stats %+v", stats)
			}
			if !strings.Contains(string(a), `{"type":"prompt","collection":"Zine_Art","user":null,"anonymous":false,`) ||
				!strings.Contains(string(a), `"user":"alice","anonymous":true,`) ||
				!regexp.MustCompile(`"type":"prompt_claim","id":\d+,"prompt_id":\d+,"user":"bob","work_id":2,`).Match(a) {
				t.Error("the export lacks the prompt meme's prompts and claims")
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
			if secrets != strings.Contains(string(a), "password_hash") || secrets != strings.Contains(string(a), "tokenhash-alice") ||
				secrets != strings.Contains(string(a), `"feed_token":{"token":"feedtoken-alice","created_at":"2023-01-22T10:00:00Z"}`) ||
				secrets != strings.Contains(string(a), `"feed_token":"searchtoken-dave"`) {
				t.Errorf("secrets=%v but the export says otherwise", secrets)
			}
			// The series bookmarks came back as such.
			for id, want := range map[int64]string{5: "series 1 Voyages", 6: "series 0 Abandoned Voyages"} {
				b, err := dst.Bookmark(context.Background(), id)
				must(t, err)
				if got := fmt.Sprintf("series %d %s", b.SeriesID, b.SeriesTitle); !b.OfSeries || b.WorkID != 0 || got != want {
					t.Errorf("bookmark %d: %s, want %s (%+v)", id, got, want, b)
				}
			}
			n, err := dst.SeriesBookmarkCount(context.Background(), 1, nil)
			must(t, err)
			if n != 1 {
				t.Errorf("series 1 has %d bookmarks after import", n)
			}
			// Counters as written (work 1's kudos beyond its kudos lines
			// included; the hidden comment not counted), not doubled by the kudos
			// and comments triggers.
			if a, b := workCounters(t, src), workCounters(t, dst); a != b || !strings.Contains(a, "1:1234/60/3/2") {
				t.Errorf("work counters %s, after import %s", a, b)
			}
			for _, want := range []string{
				`{"type":"hidden_work","user":"dave","work_id":`,
				`{"type":"saved_search","id":1,"user":"dave","name":"Long complete fics","params":{"complete":["true"],"tag":["Star Trek"],"words_from":["10000"]},"default":false,"digest":"weekly","digest_since":"2023-01-22T10:00:00Z",`,
				`{"type":"saved_search","id":2,"user":"dave","name":"Everything","params":{},"default":true,"digest":"off",`,
				`"name":"Star Trek","tag_type":"fandom","canonical":true,"synonym_of":null,"meta":[],"parent_fandoms":[],"media":"TV Shows"}`,
				`{"type":"admin_post","id":1,"title":"Archive news","author":"alice","body":"<p>We <em>moved</em> servers.</p>\n","body_source":"We *moved* servers.","body_format":"markdown","created_at":"2023-01-07T10:00:00Z","updated_at":"2023-01-08T10:00:00Z"}`,
				`{"type":"admin_post","id":2,"title":"Old news","author":null,`,
				`{"type":"admin_post_comment","id":2,"post_id":1,"user":null,`,
				`{"type":"admin_post_comment","id":3,"post_id":2,"user":"bob",`,
				`{"type":"setting","key":"refuse_ratings","value":"Explicit\nMature"}` + "\n" + `{"type":"setting","key":"review_first_works","value":"1"}` + "\n" +
					`{"type":"setting","key":"signup","value":"invite"}` + "\n" +
					`{"type":"banner","text":"<p>Read the <strong>rules</strong>.</p>\n","text_source":"Read the **rules**.","text_format":"markdown","version":2,"updated_at":"2023-01-21T10:00:00Z"}` + "\n" +
					`{"type":"invite_request","email":"queued-b@example.test","created_at":"2023-01-03T10:00:00Z"}` + "\n" +
					`{"type":"invite_request","email":"queued-a@example.test","created_at":"2023-01-04T10:00:00Z"}` + "\n" +
					`{"type":"invitation","id":1,"owner":null,"email":"friend@example.test","created_at":"2023-01-05T10:00:00Z","sent_at":"2023-01-05T10:00:00Z","used_at":"2023-01-06T10:00:00Z","used_by":"dave"`,
				`{"type":"invitation","id":2,"owner":"bob","email":"pal@example.test","created_at":"2023-01-06T10:00:00Z","sent_at":"2023-01-07T10:00:00Z","used_at":null,"used_by":null`,
				`{"type":"invitation","id":3,"owner":"bob","email":"","created_at":"2023-01-06T10:00:00Z","sent_at":null,"used_at":null,"used_by":null}`,
			} {
				if !strings.Contains(string(a), want) {
					t.Errorf("the export lacks %s", want)
				}
			}
			if a, b := counts(t, src), counts(t, dst); a != b {
				t.Errorf("rows %s, after import %s", a, b)
			}
			// Each guest kudos got its own fresh key; none is the original.
			var keys, distinct, old int
			must(t, dst.DB().QueryRow(`SELECT COUNT(guest_key), COUNT(DISTINCT guest_key), COUNT(CASE WHEN guest_key LIKE 'guestkey%' THEN 1 END) FROM kudos`).Scan(&keys, &distinct, &old))
			if keys != 4 || distinct != 4 || old != 0 {
				t.Errorf("guest keys: %d, %d distinct, %d copied", keys, distinct, old)
			}
			var hashes int
			must(t, dst.DB().QueryRow(`SELECT (SELECT COUNT(*) FROM comments WHERE address_hash <> '') + (SELECT COUNT(*) FROM reports WHERE address_hash <> '')`).Scan(&hashes))
			if hashes != 0 {
				t.Errorf("%d comments have an address hash after import", hashes)
			}
			// The imported archive works: the user's token logs in, the
			// feed token reads as them, ids are kept.
			if secrets {
				u, err := dst.TokenUser(context.Background(), "tokenhash-alice")
				must(t, err)
				if u.Name != "alice" || u.PasswordHash != "$argon2id$fake" {
					t.Errorf("token user %+v", u)
				}
				u, err = dst.FeedTokenUser(context.Background(), "feedtoken-alice")
				must(t, err)
				if u.Name != "alice" {
					t.Errorf("feed token user %+v", u)
				}
				// The invitation bob sent on still works; the used one does not.
				inv, err := dst.InvitationByToken(context.Background(), "invhash-2")
				must(t, err)
				if inv.Email != "pal@example.test" {
					t.Errorf("invitation by token %+v", inv)
				}
				if _, err := dst.InvitationByToken(context.Background(), "invhash-1"); !errors.Is(err, archive.ErrNotFound) {
					t.Errorf("the used invitation works again: %v", err)
				}
			} else if _, err := dst.FeedTokenUser(context.Background(), "feedtoken-alice"); !errors.Is(err, archive.ErrNotFound) {
				t.Errorf("without secrets, the feed token came across: %v", err)
			}
			if secrets != strings.Contains(string(a), `"token_hash":"invhash-2"`) {
				t.Errorf("secrets=%v but the invitation's token says otherwise", secrets)
			}
			// The policy, banner and queue work in the new archive: bob
			// still holds one unsent invitation, the queue keeps its order.
			kv, err := dst.Settings(context.Background())
			must(t, err)
			if kv["signup"] != "invite" || kv["refuse_ratings"] != "Explicit\nMature" {
				t.Errorf("settings after import %v", kv)
			}
			if b, err := dst.Banner(context.Background()); err != nil || b.Version != 2 || b.Text.Source != "Read the **rules**." {
				t.Errorf("banner after import %+v %v", b, err)
			}
			if place, err := dst.InviteRequestPlace(context.Background(), "queued-a@example.test"); err != nil || place != 2 {
				t.Errorf("queue place %d %v", place, err)
			}
			if _, err := dst.SendOwnedInvitation(context.Background(), 2, "new@example.test", "invhash-new", time.Date(2023, 2, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Errorf("bob's unsent invitation: %v", err)
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
		`{"type":"user","name":"alice","email":"alice@example.test","roles":["admin"],"pseuds":[{"name":"alice","default":true,"created_at":"2019-01-02T03:04:05Z"},{"name":"Ally","default":false,"created_at":"2019-02-01T00:00:00Z"}],"created_at":"2019-01-02T03:04:05Z","preferences":{"view_adult":true,"view_full_work":false,"hide_warnings":false,"hide_freeforms":false,"email_notify":false,"font_size":120,"theme":"dark","history_paused":false,"refuse_cocreator_invitations":false},"muted_tags":[{"name":"Fluff","tag_type":"freeform"},{"name":"Original Work","tag_type":"fandom"},{"name":"Spock","tag_type":"character"}],"muted_users":["bob","dave"],"blocked_users":[]}`,
		`"muted_tags":[],"muted_users":[],"blocked_users":["dave"]}`,
		`{"type":"comment","id":1,"work_id":1,"chapter_id":1,"parent_id":null,"user":"bob","pseud":"bob","name":"","email":"","body":"","body_source":"","body_format":"markdown","approved":true,"frozen":false,"deleted":true,"created_at":"2023-01-01T10:00:00Z","edited_at":null}`,
		`{"type":"comment","id":2,"work_id":1,"chapter_id":1,"parent_id":1,"user":null,"pseud":null,"name":"Guest Reader","email":"guest@example.test","body":"<p>A guest&#39;s reply</p>","body_source":"<p>A guest's reply</p><script>x</script>","body_format":"html","approved":true,"frozen":false,"deleted":false,"created_at":"2023-01-02T10:00:00Z","edited_at":null}`,
		`"parent_id":2,"user":"alice","pseud":"Ally",`,
		`"body_source":"Edited **text**","body_format":"markdown","approved":true,"frozen":true,"deleted":false,"created_at":"2023-01-04T10:00:00Z","edited_at":"2023-01-05T10:00:00Z","hidden":true}`,
		`"user":null,"pseud":null,"name":"","email":"","body":"<p>By someone who left.</p>\n"`,
		`"name":"Anon","email":"anon@example.test","body":"<p>Held for moderation.</p>\n","body_source":"Held for moderation.","body_format":"markdown","approved":false,`,
		`{"type":"kudos","work_id":1,"user":"alice","created_at":"2023-01-01T10:00:00Z"}` + "\n" + `{"type":"kudos","work_id":1,"user":null,"created_at":"2023-01-01T10:00:00Z"}` + "\n",
		`{"type":"bookmark","id":1,"user":"bob","work_id":1,"work_title":"The First Voyage","notes":"<p>A <em>classic</em>.</p>\n","notes_source":"A *classic*.","notes_format":"markdown","tags":["Favourites","re-read"],"rec":true,"private":false,"created_at":"2023-01-08T10:00:00Z","updated_at":"2023-01-09T10:00:00Z"}`,
		`"user":"alice","work_id":3,"work_title":"Members Only","notes":"","notes_source":"","notes_format":"html","tags":["later"],"rec":false,"private":true,`,
		`{"type":"bookmark","id":3,"user":"dave","work_id":null,"work_title":"Soon Deleted",`,
		`{"type":"bookmark","id":5,"user":"dave","kind":"series","series_id":1,"series_title":"Voyages","notes":"<p>The whole <em>arc</em>.</p>\n","notes_source":"The whole *arc*.","notes_format":"markdown","tags":["arcs"],"rec":true,"private":false,"created_at":"2023-01-15T10:00:00Z","updated_at":"2023-01-16T10:00:00Z"}`,
		`{"type":"bookmark","id":6,"user":"alice","kind":"series","series_id":null,"series_title":"Abandoned Voyages","notes":"","notes_source":"","notes_format":"html","tags":[],"rec":false,"private":true,`,
		`"creators":["alice","Ally","bob"],"summary":"<p>A <em>short</em> summary.</p>\n","summary_source":"A *short* summary.","summary_format":"markdown"`,
		`"freeforms":["alternate universe","Alternate Universe - Coffee Shops & Cafés","Fluff"]`,
		`"language":"en","series":[{"id":1,"title":"Voyages","position":1},{"id":2,"title":"Later Voyages","position":1}],"words":`,
		`{"type":"series","id":1,"title":"Voyages","creators":["alice","bob"],"summary":"<p>The <em>voyages</em>.</p>\n","summary_source":"The *voyages*.","summary_format":"markdown","notes":"","notes_source":"","notes_format":"html","complete":true,"works":[1,3],"created_at":"2023-01-13T10:00:00Z",`,
		`{"type":"subscription","user":"alice","kind":"work","target":3,"created_at":"2023-01-16T10:00:00Z"}`,
		`{"type":"report","id":1,"target":"work:1","reason":"plagiarism","details":"Copied from\na zine.","state":"resolved","snapshot":{"title":"Amok Time","by":"ally","rating":"General Audiences","warnings":["No Archive Warnings Apply"],"tags":["Star Trek"],"text":"The first chapter.","url":"/works/1"},"reporter":"bob","email":"","assignee":"alice","notes":[{"by":"alice","text":"Checked the zine.","at":"2023-01-12T10:00:00Z"},{"by":"bob","text":"Agreed.","at":"2023-01-13T10:00:00Z"}],"created_at":"2023-01-08T10:00:00Z","updated_at":"2023-01-13T10:00:00Z"}`,
		`{"type":"report","id":2,"target":"user:dave","reason":"spam","details":"","state":"open","snapshot":{"title":"dave","by":"dave","text":"Pseuds: dave"},"reporter":null,"email":"guest@example.test","assignee":null,"notes":[],`,
		`"target":"comment:4","reason":"harassment","details":"","state":"open","snapshot":{"title":"Comment on Amok Time","text":"First draft","truncated":true},"reporter":null,`,
		`{"type":"report","id":4,"target":"user:carol","reason":"other","details":"","state":"open","snapshot":{},"reporter":"dave",`,
		`{"type":"subscription","user":"dave","kind":"series","target":1,"created_at":"2023-01-16T10:00:00Z"}`,
		`{"type":"subscription","user":"dave","kind":"user","target":"bob","created_at":"2023-01-17T10:00:00Z"}`,
		`{"type":"reading","user":"alice","work_id":3,"chapter_id":null,"views":0,"marked_for_later":true,"first_read_at":"2023-01-20T10:00:00Z","last_read_at":"2023-01-20T10:00:00Z"}`,
		`{"type":"reading","user":"bob","work_id":5,"chapter_id":null,"views":1,`,
		`{"type":"reading","user":"dave","work_id":1,"chapter_id":4,"views":2,"marked_for_later":false,"first_read_at":"2023-01-18T10:00:00Z","last_read_at":"2023-01-19T10:00:00Z"}`,
		`{"type":"redirect","from":"/viewstory.php?sid=7","to":"/works/1"}`,
		`{"type":"audit","actor":"mod","action":"hide_work","target":"work:4","reason":"reported twice","at":"2024-02-03T04:05:06Z"}`,
		`{"type":"audit","actor":"mod","action":"suspend","target":"user:dave","reason":"cooling off","at":"2024-02-04T04:05:06Z"}`,
		`"hidden":true,"hidden_reason":"reported twice","chapters":[`,
		`"suspended_until":"2030-01-02T03:04:05Z","moderation_reason":"cooling off"}`,
		`"chapters_posted":3,"chapters_expected":4,"complete":false,"restricted":false,"comment_permissions":"registered","moderated_comments":false,"posted_at":"2015-03-04T05:06:07Z","updated_at":"2016-03-04T05:06:07Z"`,
		`"hits":1234,"kudos":60,"comments":3,"bookmarks":2,"url":"https://archive.example/works/1","draft":false,"hidden":false,"chapters":[{"id":1,"position":1,"title":"Beginnings"`,
		`"creators":["orphan_account"]`,
		`"title":"Unfinished"`, `"draft":true,"hidden":false`, `"hidden":true`, `"language":"fr"`, `"chapters_expected":null`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	if strings.Contains(out, "password_hash") || strings.Contains(out, "api_tokens") || strings.Contains(out, "tokenhash") ||
		strings.Contains(out, "feed_token") || strings.Contains(out, "feedtoken") || strings.Contains(out, "invhash") || strings.Contains(out, "token_hash") ||
		strings.Contains(out, "addrhash") || strings.Contains(out, "guestkey") || strings.Contains(out, "address") {
		t.Error("export holds a secret")
	}
	// Kinds in order: tags, users, works, series, comments, kudos,
	// bookmarks, subscriptions, readings, hidden works, redirects, reports, the audit log, news posts, news comments,
	// settings, the banner, the invitation queue, invitations.
	order := map[string]int{"tag": 0, "user": 1, "work": 2, "series": 3, "comment": 4, "kudos": 5, "bookmark": 6, "subscription": 7, "reading": 8, "hidden_work": 9, "saved_search": 9, "redirect": 10, "report": 11, "audit": 12,
		"admin_post": 13, "admin_post_comment": 14, "setting": 15, "banner": 16, "invite_request": 17, "invitation": 18,
		"collection": 19, "collection_item": 20, "gift": 21, "related_work": 22, "challenge": 23, "challenge_signup": 24, "challenge_assignment": 25, "challenge_pinch_hitter": 26, "prompt": 27, "prompt_claim": 28}
	last := 0
	for i, l := range lines {
		kind := strings.SplitN(strings.TrimPrefix(l, `{"type":"`), `"`, 2)[0]
		k, ok := order[kind]
		if !ok || k < last {
			t.Fatalf("line %d: %s out of order", i+1, kind)
		}
		last = k
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
		(SELECT COUNT(*) FROM tag_meta) || '/' || (SELECT COUNT(*) FROM works) || '/' || (SELECT COUNT(*) FROM chapters) || '/' || (SELECT COUNT(*) FROM works_fts) || '/' ||
		(SELECT COUNT(*) FROM comments) || '/' || (SELECT COUNT(*) FROM kudos) || '/' || (SELECT COUNT(*) FROM bookmarks) || '/' || (SELECT COUNT(*) FROM bookmark_tags) || '/' ||
		(SELECT COUNT(*) FROM muted_tags) || '/' || (SELECT COUNT(*) FROM muted_users) || '/' || (SELECT COUNT(*) FROM blocks) || '/' ||
		(SELECT COUNT(*) FROM series) || '/' || (SELECT COUNT(*) FROM series_works) || '/' || (SELECT COUNT(*) FROM series_creators) || '/' ||
		(SELECT COUNT(*) FROM subscriptions) || '/' || (SELECT COUNT(*) FROM readings) || '/' || (SELECT COUNT(*) FROM redirects) || '/' ||
		(SELECT COUNT(*) FROM reports) || '/' || (SELECT COUNT(*) FROM report_notes) || '/' || (SELECT COUNT(*) FROM audit_log) || '/' ||
		(SELECT COUNT(*) FROM admin_posts) || '/' || (SELECT COUNT(*) FROM admin_post_comments) || '/' ||
		(SELECT COUNT(*) FROM settings) || '/' || (SELECT COUNT(*) FROM site_banner) || '/' || (SELECT COUNT(*) FROM invite_requests) || '/' ||
		(SELECT COUNT(*) FROM invitations) || '/' || (SELECT COUNT(*) FROM hidden_works) || '/' || (SELECT COUNT(*) FROM saved_searches)`).Scan(&s))
	return s
}

// workCounters lists every work's "id:hits/kudos/comments/bookmarks".
func workCounters(t *testing.T, st *sqlstore.Store) string {
	t.Helper()
	rows, err := st.DB().Query(`SELECT id, hits, kudos, comments, bookmarks FROM works ORDER BY id`)
	must(t, err)
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var id, hits, kudos, comments, bookmarks int64
		must(t, rows.Scan(&id, &hits, &kudos, &comments, &bookmarks))
		parts = append(parts, fmt.Sprintf("%d:%d/%d/%d/%d", id, hits, kudos, comments, bookmarks))
	}
	must(t, rows.Err())
	return strings.Join(parts, " ")
}

func TestBrokenFileChangesNothing(t *testing.T) {
	src := fixture(t)
	good := strings.Split(strings.TrimSuffix(string(export(t, src, false)), "\n"), "\n")
	n := len(good)
	// find is the index of the first line that starts with prefix.
	find := func(prefix string) int {
		for i, l := range good {
			if strings.HasPrefix(l, prefix) {
				return i
			}
		}
		t.Fatalf("no line starts with %s", prefix)
		return 0
	}
	wi := find(`{"type":"series"`) - 1 // the last work
	lastWork := good[wi]
	// edit changes the line at index i.
	edit := func(i int, old, new string) func([]string) []string {
		return func(l []string) []string {
			if !strings.Contains(l[i], old) {
				t.Fatalf("line %d lacks %s", i+1, old)
			}
			l[i] = strings.Replace(l[i], old, new, 1)
			return l
		}
	}
	alice, bob := find(`{"type":"user","name":"alice"`), find(`{"type":"user","name":"bob"`)
	c1, c2, c3 := find(`{"type":"comment","id":1,`), find(`{"type":"comment","id":2,`), find(`{"type":"comment","id":3,`)
	k1, b1, b4 := find(`{"type":"kudos"`), find(`{"type":"bookmark","id":1,`), find(`{"type":"bookmark","id":4,`)
	b5, b6 := find(`{"type":"bookmark","id":5,`), find(`{"type":"bookmark","id":6,`)
	feedToken := func(token string) string {
		return `"blocked_users":[],"feed_token":{"token":"` + token + `","created_at":"2023-01-22T10:00:00Z"}}`
	}
	s1, sub1, r1, rd := find(`{"type":"series","id":1,`), find(`{"type":"subscription"`), find(`{"type":"reading"`), find(`{"type":"redirect"`)
	au := find(`{"type":"audit"`)
	w1, rDave := find(`{"type":"work","id":1,`), find(`{"type":"reading","user":"dave"`)
	rep1 := find(`{"type":"report","id":1,`)
	np1, nc1 := find(`{"type":"admin_post","id":1,`), find(`{"type":"admin_post_comment","id":1,`)
	set1, ban, iq1 := find(`{"type":"setting"`), find(`{"type":"banner"`), find(`{"type":"invite_request"`)
	inv1, inv3 := find(`{"type":"invitation","id":1,`), find(`{"type":"invitation","id":3,`)
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
		{"bad JSON", func(l []string) []string { l[wi-1] = `{"type":"work",`; return l }, wi, "not valid JSON"},
		{"76 free tags", func(l []string) []string {
			l[wi] = strings.Replace(lastWork, `"freeforms":[]`, `"freeforms":`+tagsJSON, 1)
			return l
		}, wi + 1, "at most 75"},
		{"unknown type", func(l []string) []string { return append(l, `{"type":"poll","id":1}`) }, n + 1, `unknown record type "poll"`},
		{"unknown field", func(l []string) []string {
			l[wi] = strings.Replace(lastWork, `"hits":`, `"ip":"10.0.0.1","hits":`, 1)
			return l
		}, wi + 1, `unknown field "ip"`},
		{"no type", func(l []string) []string { return append(l, `{"id":1}`) }, n + 1, `no "type"`},
		{"future date", func(l []string) []string {
			l[wi] = strings.Replace(lastWork, `"posted_at":"`, `"posted_at":"2999-01-01T00:00:00Z","x_old":"`, 1)
			l[wi] = strings.Replace(l[wi], `,"x_old":"`+strings.SplitN(strings.SplitN(lastWork, `"posted_at":"`, 2)[1], `"`, 2)[0]+`"`, "", 1)
			return l
		}, wi + 1, "in the future"},
		{"duplicate work id", func(l []string) []string { return append(l, lastWork) }, n + 1, "appears twice"},
		{"creator unknown", func(l []string) []string {
			l[wi] = strings.Replace(lastWork, `"creators":["orphan_account"]`, `"creators":["nobody"]`, 1)
			return l
		}, wi + 1, `no pseud named "nobody"`},
		{"empty body", func(l []string) []string {
			l[wi] = strings.Replace(strings.Replace(lastWork, `"source":"left behind"`, `"source":"  "`, 1), `"body":"<p>left behind</p>"`, `"body":""`, 1)
			return l
		}, wi + 1, "body: can't be blank"},
		{"muted user unknown", edit(alice, `"muted_users":["bob","dave"]`, `"muted_users":["bob","zed"]`), alice + 1, `muted_users: there is no user named "zed"`},
		{"blocked self", edit(bob, `"blocked_users":["dave"]`, `"blocked_users":["Bob"]`), bob + 1, `can't name themselves`},
		{"muted tag of no such type", edit(alice, `{"name":"Spock","tag_type":"character"}`, `{"name":"Spock","tag_type":"fandom"}`), alice + 1, `no fandom tag named "Spock"`},
		{"muted tag by bare name", edit(alice, `{"name":"Spock","tag_type":"character"}`, `"Nobody Tagged This"`), alice + 1, `no tag named "Nobody Tagged This"`},
		{"comment on no chapter", edit(c1, `"chapter_id":1,`, `"chapter_id":99,`), c1 + 1, "there is no chapter 99"},
		{"comment in the wrong work", edit(c1, `"work_id":1,`, `"work_id":3,`), c1 + 1, "chapter 1 is in work 1, not 3"},
		{"reply before its parent", edit(c2, `"parent_id":1,`, `"parent_id":3,`), c2 + 1, "greater than its parent's"},
		{"reply to no comment", func(l []string) []string { return append(l[:c1], l[c1+1:]...) }, c2, "no comment 1 to reply to"},
		{"user and guest", edit(c3, `"name":"",`, `"name":"Someone",`), c3 + 1, "not both"},
		{"comment with an address", edit(c3, `"body":`, `"ip_address":"10.0.0.1","body":`), c3 + 1, `unknown field "ip_address"`},
		{"comment twice", func(l []string) []string { return append(l, l[c3]) }, n + 1, "comment 3 appears twice"},
		{"comment blank", edit(c3, `"body_source":"Thanks!"`, `"body_source":" "`), c3 + 1, "body: can't be blank"},
		{"held is not a bool", edit(c3, `"approved":true`, `"approved":"yes"`), c3 + 1, `field "approved"`},
		{"kudos by nobody", edit(k1, `"user":"alice"`, `"user":"zed"`), k1 + 1, `no user named "zed"`},
		{"kudos twice", func(l []string) []string { return append(l, l[k1]) }, n + 1, `"alice" already left kudos on work 1`},
		{"kudos on no work", edit(k1, `"work_id":1,`, `"work_id":6,`), k1 + 1, "there is no work 6"},
		{"bookmark of no work", edit(b4, `"work_id":1,`, `"work_id":99,`), b4 + 1, "there is no work 99"},
		{"bookmark twice", func(l []string) []string { return append(l, l[b1]) }, n + 1, "bookmark 1 appears twice"},
		{"bookmark of the same work twice", edit(b4, `"user":"dave"`, `"user":"bob"`), b4 + 1, `"bob" already bookmarked work 1`},
		{"bookmark tag too long", edit(b1, `"re-read"`, `"`+strings.Repeat("x", 101)+`"`), b1 + 1, "tags[1]"},
		{"bookmark without owner", edit(b1, `"user":"bob"`, `"user":""`), b1 + 1, "needs the name of its owner"},
		{"bookmark of no series", edit(b5, `"series_id":1,`, `"series_id":99,`), b5 + 1, "there is no series 99"},
		{"bookmark of the same series twice", edit(b6, `"user":"alice","kind":"series","series_id":null,`, `"user":"dave","kind":"series","series_id":1,`), b6 + 1, `"dave" already bookmarked series 1`},
		{"bookmark of a deleted series without its title", edit(b6, `"series_title":"Abandoned Voyages"`, `"series_title":" "`), b6 + 1, "a bookmark of a deleted series needs its title"},
		{"bookmark of a series and a work", edit(b5, `"series_id":1,`, `"series_id":1,"work_id":1,`), b5 + 1, "a bookmark of a series has series_id and series_title instead"},
		{"bookmark of a work with a series", edit(b4, `"work_id":1,`, `"work_id":1,"series_id":1,`), b4 + 1, "only a bookmark of a series"},
		{"bookmark of another kind", edit(b5, `"kind":"series"`, `"kind":"tag"`), b5 + 1, `kind: "tag" is not work or series`},
		{"feed token blank", edit(alice, `"blocked_users":[]}`, feedToken(" ")), alice + 1, "feed_token: the token can't be blank"},
		{"feed token twice", func(l []string) []string {
			l = edit(alice, `"blocked_users":[]}`, feedToken("same"))(l)
			return edit(bob, `"blocked_users":["dave"]}`, strings.Replace(feedToken("same"), `"blocked_users":[]`, `"blocked_users":["dave"]`, 1))(l)
		}, bob + 1, `the feed token of "bob" is already in this archive`},
		{"series of no work", edit(s1, `"works":[1,3]`, `"works":[1,99]`), s1 + 1, "there is no work 99"},
		{"series by no pseud", edit(s1, `"creators":["alice","bob"]`, `"creators":["zed"]`), s1 + 1, `no pseud named "zed"`},
		{"series twice", func(l []string) []string { return append(l, l[s1]) }, n + 1, "series 1 appears twice"},
		{"work names a series that does not hold it", edit(s1, `"works":[1,3]`, `"works":[3]`), w1 + 1, "no series line puts it in series 1"},
		{"subscription to no work", edit(sub1, `"target":3`, `"target":77`), sub1 + 1, "there is no work 77"},
		{"subscription of another kind", edit(sub1, `"kind":"work"`, `"kind":"tag"`), sub1 + 1, `"tag" is not work, series or user`},
		{"subscription twice", func(l []string) []string { return append(l, l[sub1]) }, n + 1, "already subscribed"},
		{"reading of a chapter of another work", edit(rDave, `"work_id":1`, `"work_id":3`), rDave + 1, "work 3 has no chapter 4"},
		{"reading without a date", edit(r1, `"first_read_at":"`, `"first_read_at":"x`), r1 + 1, "first_read_at"},
		{"redirect to another site", edit(rd, `"to":"/works/1"`, `"to":"https://elsewhere.example/"`), rd + 1, "starting with one /"},
		{"redirect off the site by a tab", edit(rd, `"to":"/works/1"`, `"to":"/\t/elsewhere.example"`), rd + 1, "starting with one /"},
		{"redirect off the site by a backslash", edit(rd, `"to":"/works/1"`, `"to":"/\\elsewhere.example"`), rd + 1, "starting with one /"},
		{"redirect twice", func(l []string) []string { return append(l, l[rd]) }, n + 1, "already in this archive"},
		{"report of nothing reportable", edit(rep1, `"target":"work:1"`, `"target":"poll:1"`), rep1 + 1, "can be reported"},
		{"report for no reason", edit(rep1, `"reason":"plagiarism"`, `"reason":"dislike"`), rep1 + 1, "not a reason"},
		{"report in no state", edit(rep1, `"state":"resolved"`, `"state":"pending"`), rep1 + 1, "not a state"},
		{"report by nobody", edit(rep1, `"reporter":"bob"`, `"reporter":"zed"`), rep1 + 1, `no user named "zed"`},
		{"report assigned to nobody", edit(rep1, `"assignee":"alice"`, `"assignee":"zed"`), rep1 + 1, `no user named "zed"`},
		{"report twice", func(l []string) []string { return append(l, l[rep1]) }, n + 1, "report 1 appears twice"},
		{"report with an address hash", edit(rep1, `"email":""`, `"address_hash":"abc","email":""`), rep1 + 1, `unknown field "address_hash"`},
		{"report note without a date", edit(rep1, `"at":"2023-01-12T10:00:00Z"`, `"at":""`), rep1 + 1, "notes[0].at: required"},
		{"audit entry without an actor", edit(au, `"actor":"mod"`, `"actor":""`), au + 1, "actor, action and target are required"},
		{"audit entry without a time", edit(au, `"at":"2024-02-03T04:05:06Z"`, `"at":""`), au + 1, "at: required"},
		{"audit entry with an unknown field", edit(au, `"reason":`, `"why":"x","reason":`), au + 1, "why"},
		{"user with an unknown role", edit(alice, `"roles":[`, `"roles":["overlord",`), alice + 1, "not a role"},
		{"news post twice", func(l []string) []string { return append(l, l[np1]) }, n + 1, "news post 1 appears twice"},
		{"news post without a title", edit(np1, `"title":"Archive news"`, `"title":" "`), np1 + 1, "title: can't be blank"},
		{"news post by nobody", edit(np1, `"author":"alice"`, `"author":"zed"`), np1 + 1, `no user named "zed"`},
		{"news post with a script only", edit(np1, `"body_source":"We *moved* servers.","body_format":"markdown"`, `"body_source":"<script>x</script>","body_format":"html"`), np1 + 1, "no text"},
		{"news comment on no post", edit(nc1, `"post_id":1,`, `"post_id":99,`), nc1 + 1, "there is no news post 99"},
		{"news comment twice", func(l []string) []string { return append(l, l[nc1]) }, n + 1, "news comment 1 appears twice"},
		{"setting without a key", edit(set1, `"key":"refuse_ratings"`, `"key":" "`), set1 + 1, "a setting needs a key"},
		{"setting twice", func(l []string) []string { return append(l, l[set1]) }, n + 1, "the setting refuse_ratings appears twice"},
		{"setting too long", edit(set1, `"value":"Explicit\nMature"`, `"value":"`+strings.Repeat("x", dump.MaxSettingValue+1)+`"`), set1 + 1, "longer than"},
		{"banner twice", func(l []string) []string { return append(l, l[ban]) }, n + 1, "the banner appears twice"},
		{"banner of version 0", edit(ban, `"version":2`, `"version":0`), ban + 1, "version"},
		{"banner with a script only", edit(ban, `"text_source":"Read the **rules**.","text_format":"markdown"`, `"text_source":"<script>x</script>","text_format":"html"`), ban + 1, "no text"},
		{"queued address twice", func(l []string) []string { return append(l, l[iq1]) }, n + 1, "already in the invitation queue"},
		{"queued address that is not one", edit(iq1, `"email":"queued-b@example.test"`, `"email":"nope"`), iq1 + 1, "e-mail"},
		{"invitation twice", func(l []string) []string { return append(l, l[inv1]) }, n + 1, "invitation 1 appears twice"},
		{"invitation used by nobody", edit(inv1, `"used_by":"dave"`, `"used_by":"zed"`), inv1 + 1, `no user named "zed"`},
		{"invitation held by nobody", edit(inv3, `"owner":"bob"`, `"owner":"zed"`), inv3 + 1, `no user named "zed"`},
		{"invitation sent without a date", edit(inv1, `"sent_at":"2023-01-05T10:00:00Z"`, `"sent_at":null`), inv1 + 1, "sent_at"},
		{"unsent invitation held by no one", edit(inv3, `"owner":"bob"`, `"owner":null`), inv3 + 1, "held by an account"},
		{"news comment blank", edit(nc1, `"body":"<p>Thanks for the <em>news</em>.</p>\n","body_source":"Thanks for the *news*."`, `"body":"","body_source":" "`), nc1 + 1, "body: can't be blank"},
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
	if stats.Works != 5 || stats.Users != 3 || stats.Tags == 0 || stats.Comments != 6 || stats.Kudos != 6 || stats.Bookmarks != 6 {
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

// A hand-written file of community records for a work already in the
// archive: its counters follow the new rows (only a work in the file keeps
// the counts the file gives); mutes name a user who comes later and a tag
// by bare name; an ambiguous bare name is refused.
func TestImportCommunityIntoExistingWork(t *testing.T) {
	ctx := context.Background()
	dst := open(t)
	owner := &archive.User{Name: "owner", Email: "owner@example.test"}
	must(t, dst.CreateUser(ctx, owner))
	w := post(t, dst, []int64{pseudID(t, dst, owner)}, archive.WorkInput{Title: "Existing", Rating: "Not Rated", Warnings: []string{archive.WarningNone},
		Fandoms: []string{"Original Work"}, Freeforms: []string{"Spock"}, Characters: []string{"Spock"}, Chapters: []archive.ChapterInput{{Body: "x"}}})
	var chapter int64
	must(t, dst.DB().QueryRow(`SELECT id FROM chapters WHERE work_id = ?`, w.ID).Scan(&chapter))
	user := func(name, muted string) string {
		return `{"type":"user","name":"` + name + `","email":"` + name + `@example.test","roles":[],"pseuds":[],"created_at":"2020-01-01T00:00:00Z","preferences":{},"muted_tags":` + muted + `,"muted_users":["later"],"blocked_users":[]}`
	}
	rest := fmt.Sprintf(`{"type":"user","name":"later","email":"later@example.test","roles":[],"pseuds":[],"created_at":"2020-01-01T00:00:00Z","preferences":{},"muted_tags":[],"muted_users":[],"blocked_users":["erin"]}
{"type":"comment","id":10,"chapter_id":%d,"user":"erin","body":"<p>Hi</p>","created_at":"2024-01-01T00:00:00Z"}
{"type":"comment","id":11,"chapter_id":%d,"parent_id":10,"name":"Guest","email":"g@example.test","body_source":"*held*","body_format":"markdown","approved":false,"created_at":"2024-01-01T00:00:00Z"}
{"type":"kudos","work_id":%d,"user":"erin","created_at":"2024-01-01T00:00:00Z"}
{"type":"kudos","work_id":%d,"user":null,"created_at":"2024-01-01T00:00:00Z"}
{"type":"kudos","work_id":%d,"created_at":"2024-01-01T00:00:00Z"}
{"type":"bookmark","id":5,"user":"later","work_id":%d,"tags":["a","A","b"],"created_at":"2024-01-01T00:00:00Z"}
`, chapter, chapter, w.ID, w.ID, w.ID, w.ID)
	_, err := importInto(t, dst, []byte(user("erin", `["Spock"]`)+"\n"+rest), dump.ImportOptions{})
	var le *dump.LineError
	if !errors.As(err, &le) || le.Line != 1 || !strings.Contains(err.Error(), `tags of several types are named "Spock" (character, freeform)`) {
		t.Fatalf("err = %v", err)
	}
	stats, err := importInto(t, dst, []byte(user("erin", `["Original Work",{"name":"spock","tag_type":"character"}]`)+"\n"+rest), dump.ImportOptions{})
	must(t, err)
	if stats.Users != 2 || stats.Comments != 2 || stats.Kudos != 3 || stats.Bookmarks != 1 {
		t.Errorf("stats %+v", stats)
	}
	if got := workCounters(t, dst); got != fmt.Sprintf("%d:0/3/1/1", w.ID) {
		t.Errorf("counters %s", got)
	}
	erin, err := dst.UserByName(ctx, "erin")
	must(t, err)
	tags, err := dst.MutedTags(ctx, erin.ID)
	must(t, err)
	users, err := dst.MutedUsers(ctx, erin.ID)
	must(t, err)
	later, err := dst.UserByName(ctx, "later")
	must(t, err)
	blocked, err := dst.IsBlocked(ctx, []int64{later.ID}, erin.ID)
	must(t, err)
	if len(tags) != 2 || len(users) != 1 || users[0] != later.ID || !blocked {
		t.Errorf("muted tags %v, users %v, blocked %v", tags, users, blocked)
	}
	b, err := dst.Bookmark(ctx, 5)
	must(t, err)
	if strings.Join(b.Tags, ",") != "a,b" || b.WorkTitle != "Existing" || b.UpdatedAt != b.CreatedAt {
		t.Errorf("bookmark %+v", b)
	}
	c, err := dst.Comment(ctx, 11)
	must(t, err)
	if c.Approved || c.Body.HTML != "<p><em>held</em></p>\n" || c.GuestName != "Guest" || c.ParentID != 10 {
		t.Errorf("comment %+v", c)
	}
}
