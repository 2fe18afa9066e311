// Package dump is the archive's logical dump: `quire export --format jsonl`
// writes it and `quire import --format jsonl` reads it back (SPEC "Export
// format"). One JSON object per line, each with a "type":
//
//	{"type":"tag","name","tag_type","canonical","synonym_of","meta":[…],"parent_fandoms":[…]}
//	{"type":"user","name","email","roles":[…],"pseuds":[{"name","default","created_at"}…],"created_at",
//	 "preferences":{…},"muted_tags":[{"name","tag_type"}…],"muted_users":[names…],"blocked_users":[names…]
//	 (with --with-secrets also "password_hash", "api_tokens":[{"hash","name","created_at"}…]
//	 and, when the reader has one, "feed_token":{"token","created_at"});
//	 a suspended or banned account also has "suspended_until","banned","moderation_reason"}
//	{"type":"work","id","title","creators":[pseud names],
//	 "summary","summary_source","summary_format","notes","notes_source","notes_format",
//	 "end_notes","end_notes_source","end_notes_format",
//	 "rating","warnings","categories","fandoms","relationships","characters","freeforms",
//	 "language","series":[],"words","chapters_posted","chapters_expected" (null = unknown),"complete",
//	 "restricted","comment_permissions","moderated_comments",
//	 "posted_at","updated_at","edited_at","created_at","hits","kudos","comments","bookmarks","url",
//	 "draft","hidden" (and, when hidden, "hidden_reason" and "hidden_by_ban"),"chapters":[{"id","position","title","summary","summary_source","summary_format",
//	 "notes","notes_source","notes_format","end_notes","end_notes_source","end_notes_format",
//	 "body","source","format","words","draft","posted_at","updated_at"}…]}
//	 — a scheduled draft work or chapter also has "publish_at"
//	{"type":"comment","id","work_id","chapter_id","parent_id" (null: a top comment),
//	 "user","pseud" (null for a guest or a deleted account),"name","email" (a guest's; "" otherwise),
//	 "body","body_source","body_format","approved" (false: held for moderation),"frozen",
//	 "deleted" (a placeholder kept for its replies: body blank),"created_at","edited_at" (null: never),
//	 and "hidden":true for a comment the moderators hid}
//	{"type":"kudos","work_id","user" (null: a guest or a deleted account),"created_at"}
//	{"type":"bookmark","id","user","work_id" (null: the work was deleted),"work_title",
//	 "notes","notes_source","notes_format","tags":[…],"rec","private","created_at","updated_at"}
//	 — a bookmark of a series has "kind":"series","series_id" (null: the series was deleted),
//	 "series_title" in place of "work_id","work_title"; a work's has no "kind" (an import
//	 also takes "kind":"work")
//	{"type":"series","id","title","creators":[pseud names],"summary","summary_source","summary_format",
//	 "notes","notes_source","notes_format","complete","works":[work ids in order],"created_at","updated_at"}
//	{"type":"subscription","user","kind" (work, series or user),"target" (the work's or series' id,
//	 or the followed creator's account name),"created_at"}
//	{"type":"reading","user","work_id","chapter_id" (null: the chapter was deleted),"views",
//	 "marked_for_later","first_read_at","last_read_at"}
//	{"type":"hidden_work","user","work_id","created_at"} (a work the reader hid from their listings)
//	{"type":"saved_search","id","user","name","params":{listing parameters, each a list},"default",
//	 "digest" (off, daily, weekly),"digest_since","feed_token" (only with secrets),"created_at","updated_at"}
//	{"type":"redirect","from","to"} (an imported archive's old URL, path and query, and the path it leads to)
//	{"type":"report",…} (a reader's report with its snapshot and the moderators' notes: see reportLine)
//	{"type":"audit","actor","action","target","reason","at"} (the moderators' audit log, oldest first)
//	{"type":"admin_post",…} and {"type":"admin_post_comment",…}: the archive's news (news.go)
//	{"type":"creator_invitation","work_id","chapter_id" (absent: to the work),"pseud","from","created_at"}:
//	 a pending co-creator invitation (creators.go). A chapter with a byline of its own has
//	 "creators":[pseud names] in its work line's chapter (absent: the work's creators)
//	{"type":"setting",…}, {"type":"banner",…}, {"type":"invite_request",…} and {"type":"invitation",…}:
//	 the site settings, the banner, the invitation queue and invitations (policy.go), last
//
// Every rich field is written as the sanitized HTML pages show (as in the
// API: "summary", "body"), beside the source the creator wrote and its
// format ("summary_source"/"summary_format"; a chapter body's are "source"
// and "format", as SPEC names them). An import re-renders from the source,
// so the HTML is for readers of the file. Tag fields hold the names exactly
// as the creator entered them. Timestamps are RFC 3339 in UTC. Lines come in
// a stable order: tags (each after the tags its wrangling names, otherwise
// by id), users by id, works by id (a work's chapters by position),
// series by id (after the works they list), comments by id (a reply's id
// is always above its parent's, so parents come first), kudos by work then
// time, bookmarks by id, subscriptions by id, readings by reader then work,
// hidden works by reader then work, redirects by old URL, reports by id, the audit log oldest first, news posts and news comments by id,
// settings by key, the banner, the invitation queue in its order, invitations by id. The same archive gives the same bytes. A work
// line's "series" ([{"id","title","position"}…]) says where the work sits;
// the series lines are what an import writes, and it checks the two agree.
//
// A user's muted tags are named with their type, since only type and name
// together name a tag (an import also takes a bare name when one type has
// it); they are the tags as muted, a synonym included, sorted by name.
// Muted and blocked users are account names, sorted. A user line may name
// users that come after it: an import writes mutes and blocks once every
// line is in. Blocks carry no date; an import dates them at the import.
//
// Work counters (hits, kudos, comments, bookmarks) are written as they are;
// an import keeps them, whatever kudos, comment and bookmark lines follow.
// Per-day hit records are transient and never exported.
//
// No line ever holds an IP address, an address hash or a guest kudos key
// (an import gives each guest kudos a fresh random key); password hashes,
// API token hashes, feed tokens and invitations' token hashes only with --with-secrets. Subscription ids are not
// kept (an unsubscribe link mailed before a move stops working).
package dump

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

type tagLine struct {
	Type          string   `json:"type"`
	Name          string   `json:"name"`
	TagType       string   `json:"tag_type"`
	Canonical     bool     `json:"canonical"`
	SynonymOf     *string  `json:"synonym_of"`
	Meta          []string `json:"meta"`
	ParentFandoms []string `json:"parent_fandoms"`
	// Media is a canonical fandom's medium (absent when it has none).
	Media string `json:"media,omitempty"`
}

type pseudLine struct {
	Name      string `json:"name"`
	Default   bool   `json:"default"`
	CreatedAt string `json:"created_at"`
}

type tokenLine struct {
	Hash      string `json:"hash"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

type userLine struct {
	Type         string              `json:"type"`
	Name         string              `json:"name"`
	Email        string              `json:"email"`
	Roles        []string            `json:"roles"`
	Pseuds       []pseudLine         `json:"pseuds"`
	CreatedAt    string              `json:"created_at"`
	Preferences  archive.Preferences `json:"preferences"`
	MutedTags    []tagRef            `json:"muted_tags"`
	MutedUsers   []string            `json:"muted_users"`
	BlockedUsers []string            `json:"blocked_users"`
	PasswordHash *string             `json:"password_hash,omitempty"`
	APITokens    *[]tokenLine        `json:"api_tokens,omitempty"`
	FeedToken    *feedTokenLine      `json:"feed_token,omitempty"`
	// A suspended or banned account's state (absent for everyone else).
	SuspendedUntil   string `json:"suspended_until,omitempty"`
	Banned           bool   `json:"banned,omitempty"`
	ModerationReason string `json:"moderation_reason,omitempty"`
	// FormerNames are the account's old names, newest first (absent when
	// it was never renamed); they redirect to it.
	FormerNames []formerNameLine `json:"former_names,omitempty"`
	// The profile's bio, as HTML and as written (absent when none).
	Bio       string `json:"bio,omitempty"`
	BioSource string `json:"bio_source,omitempty"`
	BioFormat string `json:"bio_format,omitempty"`
}

type formerNameLine struct {
	Name      string `json:"name"`
	RenamedAt string `json:"renamed_at"`
}

type feedTokenLine struct {
	Token     string `json:"token"`
	CreatedAt string `json:"created_at"`
}

type chapterLine struct {
	ID             int64  `json:"id"`
	Position       int    `json:"position"`
	Title          string `json:"title"`
	Summary        string `json:"summary"`
	SummarySource  string `json:"summary_source"`
	SummaryFormat  string `json:"summary_format"`
	Notes          string `json:"notes"`
	NotesSource    string `json:"notes_source"`
	NotesFormat    string `json:"notes_format"`
	EndNotes       string `json:"end_notes"`
	EndNotesSource string `json:"end_notes_source"`
	EndNotesFormat string `json:"end_notes_format"`
	Body           string `json:"body"`
	Source         string `json:"source"`
	Format         string `json:"format"`
	Words          int    `json:"words"`
	Draft          bool   `json:"draft"`
	PostedAt       string `json:"posted_at"`
	UpdatedAt      string `json:"updated_at"`
	// PublishAt is a draft chapter's scheduled publication.
	PublishAt string `json:"publish_at,omitempty"`
	// Creators is the chapter's own byline (pseud names, each also among
	// the work's creators); absent: the chapter is credited to the work's.
	Creators []string `json:"creators,omitempty"`
}

type workLine struct {
	Type               string          `json:"type"`
	ID                 int64           `json:"id"`
	Title              string          `json:"title"`
	Creators           []string        `json:"creators"`
	Summary            string          `json:"summary"`
	SummarySource      string          `json:"summary_source"`
	SummaryFormat      string          `json:"summary_format"`
	Notes              string          `json:"notes"`
	NotesSource        string          `json:"notes_source"`
	NotesFormat        string          `json:"notes_format"`
	EndNotes           string          `json:"end_notes"`
	EndNotesSource     string          `json:"end_notes_source"`
	EndNotesFormat     string          `json:"end_notes_format"`
	Rating             string          `json:"rating"`
	Warnings           []string        `json:"warnings"`
	Categories         []string        `json:"categories"`
	Fandoms            []string        `json:"fandoms"`
	Relationships      []string        `json:"relationships"`
	Characters         []string        `json:"characters"`
	Freeforms          []string        `json:"freeforms"`
	Language           string          `json:"language"`
	Series             []workSeriesRef `json:"series"`
	Words              int             `json:"words"`
	ChaptersPosted     int             `json:"chapters_posted"`
	ChaptersExpected   *int            `json:"chapters_expected"`
	Complete           bool            `json:"complete"`
	Restricted         bool            `json:"restricted"`
	CommentPermissions string          `json:"comment_permissions"`
	ModeratedComments  bool            `json:"moderated_comments"`
	PostedAt           string          `json:"posted_at"`
	UpdatedAt          string          `json:"updated_at"`
	EditedAt           string          `json:"edited_at"`
	CreatedAt          string          `json:"created_at"`
	Hits               int64           `json:"hits"`
	Kudos              int64           `json:"kudos"`
	Comments           int64           `json:"comments"`
	Bookmarks          int64           `json:"bookmarks"`
	URL                string          `json:"url"`
	Draft              bool            `json:"draft"`
	Hidden             bool            `json:"hidden"`
	HiddenReason       string          `json:"hidden_reason,omitempty"`
	HiddenByBan        bool            `json:"hidden_by_ban,omitempty"`
	AwaitingReview     bool            `json:"awaiting_review,omitempty"` // held for a moderator (--review-first-works)
	PublishAt          string          `json:"publish_at,omitempty"`      // a draft work's scheduled first publication
	Chapters           []chapterLine   `json:"chapters"`
}

// tagRef names a tag by name and type. On import a bare JSON string names
// a tag by name alone.
type tagRef struct {
	Name    string `json:"name"`
	TagType string `json:"tag_type"`
}

func (r *tagRef) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '"' {
		*r = tagRef{}
		return json.Unmarshal(b, &r.Name)
	}
	type plain tagRef
	var p plain
	if err := strict(b, &p); err != nil {
		return err
	}
	*r = tagRef(p)
	return nil
}

type commentLine struct {
	Type       string  `json:"type"`
	ID         int64   `json:"id"`
	WorkID     int64   `json:"work_id"`
	ChapterID  int64   `json:"chapter_id"`
	ParentID   *int64  `json:"parent_id"`
	User       *string `json:"user"`
	Pseud      *string `json:"pseud"`
	Name       string  `json:"name"`
	Email      string  `json:"email"`
	Body       string  `json:"body"`
	BodySource string  `json:"body_source"`
	BodyFormat string  `json:"body_format"`
	Approved   *bool   `json:"approved"`
	Frozen     bool    `json:"frozen"`
	Deleted    bool    `json:"deleted"`
	CreatedAt  string  `json:"created_at"`
	EditedAt   *string `json:"edited_at"`
	// Hidden by the moderators (absent when shown).
	Hidden bool `json:"hidden,omitempty"`
}

type kudosLine struct {
	Type      string  `json:"type"`
	WorkID    int64   `json:"work_id"`
	User      *string `json:"user"`
	CreatedAt string  `json:"created_at"`
}

// bookmarkLine is a bookmark line as an import reads it: of a work ("kind"
// absent or "work": "work_id", "work_title") or of a series ("kind":"series":
// "series_id", "series_title"). An export writes a work's as
// workBookmarkLine and a series' as seriesBookmarkLine, each without the
// other kind's fields.
type bookmarkLine struct {
	Type        string `json:"type"`
	ID          int64  `json:"id"`
	User        string `json:"user"`
	Kind        string `json:"kind"`
	WorkID      *int64 `json:"work_id"`
	WorkTitle   string `json:"work_title"`
	SeriesID    *int64 `json:"series_id"`
	SeriesTitle string `json:"series_title"`
	bookmarkFields
}

// bookmarkFields are what bookmarks of works and of series share.
type bookmarkFields struct {
	Notes       string   `json:"notes"`
	NotesSource string   `json:"notes_source"`
	NotesFormat string   `json:"notes_format"`
	Tags        []string `json:"tags"`
	Rec         bool     `json:"rec"`
	Private     bool     `json:"private"`
	CreatedAt   string   `json:"created_at"`
	UpdatedAt   string   `json:"updated_at"`
}

type workBookmarkLine struct {
	Type      string `json:"type"`
	ID        int64  `json:"id"`
	User      string `json:"user"`
	WorkID    *int64 `json:"work_id"`
	WorkTitle string `json:"work_title"`
	bookmarkFields
}

type seriesBookmarkLine struct {
	Type        string `json:"type"`
	ID          int64  `json:"id"`
	User        string `json:"user"`
	Kind        string `json:"kind"`
	SeriesID    *int64 `json:"series_id"`
	SeriesTitle string `json:"series_title"`
	bookmarkFields
}

// ExportOptions tunes an export.
type ExportOptions struct {
	// WithSecrets adds password hashes, API token hashes and feed tokens.
	WithSecrets bool
	// BaseURL prefixes each work's "url" (empty: the path alone, /works/ID).
	BaseURL string
	// Progress, when set, gets a running count ("\rexport: 1200 works").
	Progress io.Writer
}

// Stats counts what an export wrote or an import read.
type Stats struct {
	Tags, Users, Works         int
	Comments, Kudos, Bookmarks int
	Series, Subscriptions      int
	Readings, Redirects        int
	Reports                    int
	Audit                      int
	NewsPosts, NewsComments    int
	Settings, Banners          int
	InviteRequests             int
	Invitations                int
	Collections                int
	CollectionItems            int // items and gifts
	CreatorInvitations         int
	RelatedWorks               int
	Challenges                 int // challenges, sign-ups, assignments, prompts and claims
}

// Add adds o's counts to s.
func (s *Stats) Add(o Stats) {
	s.Tags += o.Tags
	s.Users += o.Users
	s.Works += o.Works
	s.Comments += o.Comments
	s.Kudos += o.Kudos
	s.Bookmarks += o.Bookmarks
	s.Series += o.Series
	s.Subscriptions += o.Subscriptions
	s.Readings += o.Readings
	s.Redirects += o.Redirects
	s.Reports += o.Reports
	s.Audit += o.Audit
	s.NewsPosts += o.NewsPosts
	s.Collections += o.Collections
	s.CollectionItems += o.CollectionItems
	s.NewsComments += o.NewsComments
	s.Settings += o.Settings
	s.Banners += o.Banners
	s.InviteRequests += o.InviteRequests
	s.Invitations += o.Invitations
	s.CreatorInvitations += o.CreatorInvitations
	s.RelatedWorks += o.RelatedWorks
	s.Challenges += o.Challenges
}

func (s Stats) String() string {
	out := fmt.Sprintf("%d users, %d tags, %d works, %d comments, %d kudos, %d bookmarks, %d series, %d subscriptions, %d readings, %d redirects, %d reports, %d audit entries",
		s.Users, s.Tags, s.Works, s.Comments, s.Kudos, s.Bookmarks, s.Series, s.Subscriptions, s.Readings, s.Redirects, s.Reports, s.Audit)
	if s.NewsPosts > 0 || s.NewsComments > 0 {
		out += fmt.Sprintf(", %d news posts, %d news comments", s.NewsPosts, s.NewsComments)
	}
	if s.Settings > 0 || s.Banners > 0 {
		out += fmt.Sprintf(", %d settings", s.Settings)
		if s.Banners > 0 {
			out += ", the banner"
		}
	}
	if s.InviteRequests > 0 || s.Invitations > 0 {
		out += fmt.Sprintf(", %d queued invitation requests, %d invitations", s.InviteRequests, s.Invitations)
	}
	if s.Collections > 0 || s.CollectionItems > 0 {
		out += fmt.Sprintf(", %d collections, %d collection items and gifts", s.Collections, s.CollectionItems)
	}
	if s.CreatorInvitations > 0 {
		out += fmt.Sprintf(", %d co-creator invitations", s.CreatorInvitations)
	}
	if s.Challenges > 0 {
		out += fmt.Sprintf(", %d challenge records (settings, sign-ups, assignments, prompts, claims)", s.Challenges)
	}
	if s.RelatedWorks > 0 {
		out += fmt.Sprintf(", %d related-work links", s.RelatedWorks)
	}
	return out
}

// Export writes the whole archive to w, one JSON object per line.
func Export(ctx context.Context, st store.Dumps, w io.Writer, opts ExportOptions) (Stats, error) {
	var stats Stats
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	put := func(v any) error {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := bw.Write(buf.Bytes())
		return err
	}
	start := time.Now()
	err := st.ExportDump(ctx, opts.WithSecrets, func(r store.DumpRecord) error {
		switch {
		case r.Tag != nil:
			stats.Tags++
			return put(tagToLine(r.Tag))
		case r.User != nil:
			stats.Users++
			return put(userToLine(r.User, opts.WithSecrets))
		case r.Work != nil:
			stats.Works++
			if opts.Progress != nil && stats.Works%500 == 0 {
				fmt.Fprintf(opts.Progress, "\rexport: %d works %.1fs", stats.Works, time.Since(start).Seconds())
			}
			return put(workToLine(r.Work, opts.BaseURL))
		case r.Comment != nil:
			stats.Comments++
			return put(commentToLine(&r.Comment.Comment))
		case r.Kudos != nil:
			stats.Kudos++
			return put(kudosToLine(r.Kudos))
		case r.Bookmark != nil:
			stats.Bookmarks++
			return put(bookmarkToLine(&r.Bookmark.Bookmark))
		case r.Series != nil:
			stats.Series++
			return put(seriesToLine(r.Series))
		case r.Subscription != nil:
			stats.Subscriptions++
			return put(subscriptionToLine(r.Subscription))
		case r.Reading != nil:
			stats.Readings++
			return put(readingToLine(r.Reading))
		case r.HiddenWork != nil:
			return put(hiddenWorkToLine(r.HiddenWork))
		case r.SavedSearch != nil:
			return put(savedSearchToLine(r.SavedSearch))
		case r.Redirect != nil:
			stats.Redirects++
			return put(redirectToLine(r.Redirect))
		case r.Report != nil:
			stats.Reports++
			return put(reportToLine(r.Report))
		case r.Audit != nil:
			stats.Audit++
			return put(auditToLine(r.Audit))
		case r.Collection != nil:
			stats.Collections++
			return put(collectionToLine(r.Collection))
		case r.CollectionItem != nil:
			stats.CollectionItems++
			return put(collectionItemToLine(r.CollectionItem))
		case r.Gift != nil:
			stats.CollectionItems++
			return put(giftToLine(r.Gift))
		case r.RelatedWork != nil:
			stats.RelatedWorks++
			return put(relatedToLine(r.RelatedWork))
		case r.Challenge != nil:
			stats.Challenges++
			return put(challengeToLine(r.Challenge))
		case r.Signup != nil:
			stats.Challenges++
			return put(signupToLine(r.Signup))
		case r.Assignment != nil:
			stats.Challenges++
			return put(assignmentToLine(r.Assignment))
		case r.PinchHitter != nil:
			stats.Challenges++
			return put(pinchHitterToLine(r.PinchHitter))
		case r.MemePrompt != nil:
			stats.Challenges++
			return put(memePromptToLine(r.MemePrompt))
		case r.Claim != nil:
			stats.Challenges++
			return put(claimToLine(r.Claim))
		case r.NewsPost != nil:
			stats.NewsPosts++
			return put(newsPostToLine(r.NewsPost))
		case r.NewsComment != nil:
			stats.NewsComments++
			return put(newsCommentToLine(r.NewsComment))
		case r.CreatorInvitation != nil:
			stats.CreatorInvitations++
			return put(creatorInvitationToLine(r.CreatorInvitation))
		case r.Setting != nil:
			stats.Settings++
			return put(settingToLine(r.Setting))
		case r.Banner != nil:
			stats.Banners++
			return put(bannerToLine(r.Banner))
		case r.InviteRequest != nil:
			stats.InviteRequests++
			return put(inviteRequestToLine(r.InviteRequest))
		case r.Invitation != nil:
			stats.Invitations++
			return put(invitationToLine(r.Invitation))
		}
		return nil
	})
	if err != nil {
		return stats, err
	}
	if opts.Progress != nil {
		fmt.Fprintf(opts.Progress, "\rexport: %d works %.1fs\n", stats.Works, time.Since(start).Seconds())
	}
	return stats, bw.Flush()
}

// ts formats a time as RFC 3339 in UTC.
func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func format(f archive.Format) string {
	if f == "" {
		return string(archive.FormatHTML)
	}
	return string(f)
}

func tagToLine(t *store.TagSpec) tagLine {
	l := tagLine{Type: "tag", Name: t.Name, TagType: string(t.Type), Canonical: t.Canonical, Meta: strs(t.Meta), ParentFandoms: strs(t.Parents), Media: t.Media}
	if t.SynonymOf != "" {
		s := t.SynonymOf
		l.SynonymOf = &s
	}
	return l
}

func userToLine(u *store.DumpUser, secrets bool) userLine {
	l := userLine{Type: "user", Name: u.User.Name, Email: u.User.Email, Roles: strs(u.User.Roles), Pseuds: []pseudLine{},
		CreatedAt: ts(u.User.CreatedAt), Preferences: u.User.Preferences, MutedTags: []tagRef{}, MutedUsers: strs(u.MutedUsers), BlockedUsers: strs(u.BlockedUsers)}
	l.SuspendedUntil, l.Banned, l.ModerationReason = ts(u.User.SuspendedUntil), u.User.Banned, u.User.ModerationReason
	if !u.Bio.IsEmpty() {
		l.Bio, l.BioSource, l.BioFormat = u.Bio.HTML, u.Bio.Source, string(u.Bio.Format)
	}
	for _, f := range u.FormerNames {
		l.FormerNames = append(l.FormerNames, formerNameLine{Name: f.Name, RenamedAt: ts(f.RenamedAt)})
	}
	for _, t := range u.MutedTags {
		l.MutedTags = append(l.MutedTags, tagRef{Name: t.Name, TagType: string(t.Type)})
	}
	for _, p := range u.Pseuds {
		l.Pseuds = append(l.Pseuds, pseudLine{Name: p.Name, Default: p.Default, CreatedAt: ts(p.CreatedAt)})
	}
	if secrets {
		h := u.User.PasswordHash
		l.PasswordHash = &h
		toks := []tokenLine{}
		for _, t := range u.Tokens {
			toks = append(toks, tokenLine{Hash: t.Hash, Name: t.Name, CreatedAt: ts(t.CreatedAt)})
		}
		l.APITokens = &toks
		if ft := u.FeedToken; ft != nil {
			l.FeedToken = &feedTokenLine{Token: ft.Token, CreatedAt: ts(ft.CreatedAt)}
		}
	}
	return l
}

func workToLine(dw *store.DumpWork, baseURL string) workLine {
	w := dw.Work
	l := workLine{
		Type: "work", ID: w.ID, Title: w.Title, Creators: []string{},
		Summary: w.Summary.HTML, SummarySource: w.Summary.Source, SummaryFormat: format(w.Summary.Format),
		Notes: w.Notes.HTML, NotesSource: w.Notes.Source, NotesFormat: format(w.Notes.Format),
		EndNotes: w.EndNotes.HTML, EndNotesSource: w.EndNotes.Source, EndNotesFormat: format(w.EndNotes.Format),
		Rating:        w.Rating(),
		Warnings:      strs(w.Tags[archive.TypeWarning]),
		Categories:    strs(w.Tags[archive.TypeCategory]),
		Fandoms:       strs(w.Tags[archive.TypeFandom]),
		Relationships: strs(w.Tags[archive.TypeRelationship]),
		Characters:    strs(w.Tags[archive.TypeCharacter]),
		Freeforms:     strs(w.Tags[archive.TypeFreeform]),
		Language:      w.Language, Series: []workSeriesRef{},
		Words: w.Words, ChaptersPosted: w.ChaptersPosted, Complete: w.Complete(),
		Restricted: w.Restricted, CommentPermissions: w.CommentPermission, ModeratedComments: w.ModeratedComments,
		PostedAt: ts(w.PostedAt), UpdatedAt: ts(w.UpdatedAt), EditedAt: ts(w.EditedAt), CreatedAt: ts(w.CreatedAt),
		Hits: w.Hits, Kudos: w.Kudos, Comments: w.Comments, Bookmarks: w.Bookmarks,
		URL:   strings.TrimRight(baseURL, "/") + "/works/" + strconv.FormatInt(w.ID, 10),
		Draft: w.Draft, Hidden: w.Hidden, HiddenReason: w.HiddenReason, HiddenByBan: w.HiddenByBan, AwaitingReview: w.AwaitingReview, Chapters: []chapterLine{},
		PublishAt: ts(w.PublishAt),
	}
	for _, c := range w.Creators {
		l.Creators = append(l.Creators, c.Pseud)
	}
	for _, s := range dw.Series {
		l.Series = append(l.Series, workSeriesRef{ID: s.ID, Title: s.Title, Position: s.Position})
	}
	if w.ChaptersExpected > 0 {
		n := w.ChaptersExpected
		l.ChaptersExpected = &n
	}
	for _, c := range dw.Chapters {
		var creators []string
		for _, cc := range c.Creators {
			creators = append(creators, cc.Pseud)
		}
		l.Chapters = append(l.Chapters, chapterLine{Creators: creators,
			ID: c.ID, Position: c.Position, Title: c.Title,
			Summary: c.Summary.HTML, SummarySource: c.Summary.Source, SummaryFormat: format(c.Summary.Format),
			Notes: c.Notes.HTML, NotesSource: c.Notes.Source, NotesFormat: format(c.Notes.Format),
			EndNotes: c.EndNotes.HTML, EndNotesSource: c.EndNotes.Source, EndNotesFormat: format(c.EndNotes.Format),
			Body: c.Body.HTML, Source: c.Body.Source, Format: format(c.Body.Format),
			Words: c.Words, Draft: c.Draft, PostedAt: ts(c.PostedAt), UpdatedAt: ts(c.UpdatedAt), PublishAt: ts(c.PublishAt),
		})
	}
	return l
}

// orNull is nil for "" and else a pointer to s.
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func idOrNull(id int64) *int64 {
	if id <= 0 {
		return nil
	}
	return &id
}

func commentToLine(c *archive.Comment) commentLine {
	approved := c.Approved
	return commentLine{
		Type: "comment", ID: c.ID, WorkID: c.WorkID, ChapterID: c.ChapterID, ParentID: idOrNull(c.ParentID),
		User: orNull(c.UserName), Pseud: orNull(c.Pseud), Name: c.GuestName, Email: c.GuestEmail,
		Body: c.Body.HTML, BodySource: c.Body.Source, BodyFormat: format(c.Body.Format),
		Approved: &approved, Frozen: c.Frozen, Deleted: c.Deleted,
		CreatedAt: ts(c.CreatedAt), EditedAt: orNull(ts(c.EditedAt)), Hidden: c.Hidden,
	}
}

func kudosToLine(k *store.DumpKudos) kudosLine {
	return kudosLine{Type: "kudos", WorkID: k.WorkID, User: orNull(k.User), CreatedAt: ts(k.CreatedAt)}
}

func bookmarkToLine(b *archive.Bookmark) any {
	f := bookmarkFields{
		Notes: b.Notes.HTML, NotesSource: b.Notes.Source, NotesFormat: format(b.Notes.Format),
		Tags: strs(b.Tags), Rec: b.Rec, Private: b.Private, CreatedAt: ts(b.CreatedAt), UpdatedAt: ts(b.UpdatedAt),
	}
	if b.OfSeries {
		return seriesBookmarkLine{Type: "bookmark", ID: b.ID, User: b.UserName, Kind: "series",
			SeriesID: idOrNull(b.SeriesID), SeriesTitle: b.SeriesTitle, bookmarkFields: f}
	}
	return workBookmarkLine{Type: "bookmark", ID: b.ID, User: b.UserName, WorkID: idOrNull(b.WorkID), WorkTitle: b.WorkTitle, bookmarkFields: f}
}
