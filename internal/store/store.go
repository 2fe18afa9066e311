// Package store defines the persistence interface Quire's domain uses. The
// implementations (store/sqlite, and later store/postgres) are the only
// places that speak SQL. Not found is always archive.ErrNotFound, never a nil
// result with a nil error.
package store

import (
	"context"
	"time"

	"quire/internal/archive"
)

// Store is everything the archive persists.
type Store interface {
	Users
	Policy
	Works
	Tags
	Jobs
	Dumps
	Bookmarks
	Mutes
	Community
	Notify
	SeriesAndPseuds
	Readings
	Stats
	Redirects
	FeedTokens
	SeriesBookmarks
	CommentCounts
	Imports
	Reports
	Moderation
	News
	Sitemaps
	Collections
	RelatedWorks
	Challenges
	PromptMemes
	Creators
	Schedules
	Renames
	Profiles
	ReaderSets
	SavedSearches
	Close() error
}

// Users holds accounts, pseuds, sessions, tokens and password resets.
type Users interface {
	// CreateUser inserts the user and its default pseud named after it.
	// A taken name or e-mail is archive.ErrConflict.
	CreateUser(ctx context.Context, u *archive.User) error
	UserByID(ctx context.Context, id int64) (*archive.User, error)
	UserByName(ctx context.Context, name string) (*archive.User, error)
	UserByEmail(ctx context.Context, email string) (*archive.User, error)
	// SetUserEmail and SetUserPassword also void every password-reset
	// link still outstanding for the account, in the same transaction.
	SetUserEmail(ctx context.Context, id int64, email string) error
	SetUserPassword(ctx context.Context, id int64, hash string) error
	SetUserRoles(ctx context.Context, id int64, roles []string) error
	SetPreferences(ctx context.Context, id int64, p archive.Preferences) error
	// DeleteUser removes the account. With orphan, its works stay, credited
	// to the orphan pseud; otherwise works it alone created are deleted and
	// returned so the caller can drop them from the index.
	DeleteUser(ctx context.Context, id int64, orphan bool) (deletedWorks []int64, changedWorks []int64, err error)
	Pseuds(ctx context.Context, userID int64) ([]archive.Pseud, error)

	CreateSession(ctx context.Context, tokenHash string, userID int64, expires time.Time) error
	SessionUser(ctx context.Context, tokenHash string, now time.Time) (*archive.User, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteUserSessions(ctx context.Context, userID int64, except string) error

	CreateToken(ctx context.Context, tokenHash string, userID int64, name string) error
	TokenUser(ctx context.Context, tokenHash string) (*archive.User, error)

	CreatePasswordReset(ctx context.Context, tokenHash string, userID int64, expires time.Time) error
	// ConsumePasswordReset marks the token used and returns its user, or
	// archive.ErrNotFound when it is unknown, used or expired.
	ConsumePasswordReset(ctx context.Context, tokenHash string, now time.Time) (int64, error)
}

// NewWork is a prepared (validated, sanitized) work with its chapters.
type NewWork struct {
	Work     *archive.Work
	Chapters []*archive.Chapter
	// PseudIDs are the byline, in order.
	PseudIDs []int64
	// Audit, when set, is written to the audit log with the work (its
	// empty Target becomes work:ID): the archive holding it for review.
	Audit *archive.AuditEntry
}

// Works holds works and chapters.
type Works interface {
	// CreateWorks inserts works in one transaction, resolving tag names
	// (creating unknown tags as unwrangled), and sets each Work.ID and
	// Chapter.ID/WorkID.
	CreateWorks(ctx context.Context, ws []NewWork) error
	// UpdateWork saves a work's metadata and tags (not its chapters).
	UpdateWork(ctx context.Context, w *archive.Work) error
	// UpdateWorks saves several works as UpdateWork does, in one
	// transaction: all or none.
	UpdateWorks(ctx context.Context, ws []*archive.Work) error
	DeleteWork(ctx context.Context, id int64) error
	Work(ctx context.Context, id int64) (*archive.Work, error)
	// WorksByIDs returns the works found, in the order of ids.
	WorksByIDs(ctx context.Context, ids []int64) ([]*archive.Work, error)
	// Chapters lists a work's chapters by position, bodies only when asked.
	Chapters(ctx context.Context, workID int64, bodies bool) ([]*archive.Chapter, error)
	Chapter(ctx context.Context, workID, chapterID int64) (*archive.Chapter, error)
	// CreateChapter appends (or inserts at c.Position when > 0) a chapter.
	CreateChapter(ctx context.Context, c *archive.Chapter) error
	UpdateChapter(ctx context.Context, c *archive.Chapter) error
	DeleteChapter(ctx context.Context, workID, chapterID int64) error
	// ReorderChapters sets positions to the order of ids (all of the work's chapters).
	ReorderChapters(ctx context.Context, workID int64, ids []int64) error
	// WorkIDsByUser lists the ids of works the user created.
	WorkIDsByUser(ctx context.Context, userID int64) ([]int64, error)
	// ReindexWorks rewrites every work's full-text row from the stored
	// work (a batch of works per transaction), calling progress after each
	// batch; it returns how many works it indexed. Running it twice gives
	// the same index.
	ReindexWorks(ctx context.Context, progress func(done, total int)) (int, error)
	// IndexRows streams every work's listing data (the index build).
	IndexRows(ctx context.Context, fn func(IndexRow) error) error
	IndexRow(ctx context.Context, workID int64) (IndexRow, error)
	// SearchText returns ids of works matching a full-text query (FTS syntax
	// built by the caller from plain terms).
	SearchText(ctx context.Context, q TextQuery) ([]int64, error)
	// SetWorkCounts sets the demo's synthetic hits and kudos.
	SetWorkCounts(ctx context.Context, workID, hits, kudos int64) error
	CountWorks(ctx context.Context) (int, error)
}

// TextQuery is a parsed full-text query: every Term must match, no Not may.
type TextQuery struct {
	Terms []string // words or phrases
	Not   []string
	AnyOf [][]string // groups of OR-ed terms
	// Fields are words or phrases that must (or, with Not, must not) be in
	// one field: title:, creator:, summary:, tag:.
	Fields []FieldTerm
}

// FieldTerm is a word or phrase searched in one field of a work.
type FieldTerm struct {
	Field string // one of TextFields
	Text  string
	Not   bool
}

// TextFields are the fields a FieldTerm may name, each with the full-text
// column both engines keep it in.
var TextFields = map[string]string{"title": "title", "creator": "creators", "summary": "summary", "tag": "tags"}

// IndexRow is what the listing index keeps of one work.
type IndexRow struct {
	ID               int64
	TagIDs           []int64
	CreatorUserIDs   []int64
	Language         string
	Words            int
	ChaptersPosted   int
	ChaptersExpected int
	Draft            bool
	Restricted       bool
	Hidden           bool
	PostedAt         int64
	UpdatedAt        int64
	Hits             int64
	Kudos            int64
	Comments         int64
	Bookmarks        int64
	TitleSort        string
	CreatorSort      string

	// Collections are the collections holding the work as an approved
	// item. Anonymous and Unrevealed: an approved or pending item hides
	// the work's creators, or the work itself, until revealed.
	Collections []int64
	Anonymous   bool
	Unrevealed  bool
}

// TagRow is one tag with its wrangling.
type TagRow struct {
	archive.Tag
	Meta    []int64
	Parents []int64
}

// Tags holds the tag vocabulary and its wrangling.
type Tags interface {
	AllTags(ctx context.Context) ([]TagRow, error)
	TagByName(ctx context.Context, t archive.TagType, name string) (*archive.Tag, error)
	// TagsByName finds tags of any type with the name.
	TagsByName(ctx context.Context, name string) ([]archive.Tag, error)
	TagByID(ctx context.Context, id int64) (*archive.Tag, error)
	// EnsureTag returns the tag, creating it (unwrangled) if needed.
	EnsureTag(ctx context.Context, t archive.TagType, name string) (*archive.Tag, error)
	SetCanonical(ctx context.Context, id int64, canonical bool) error
	// SetTagMedia gives a fandom its medium ("" for none).
	SetTagMedia(ctx context.Context, id int64, media string) error
	SetSynonym(ctx context.Context, id int64, synonymOf int64) error
	AddMeta(ctx context.Context, subID, metaID int64) error
	RemoveMeta(ctx context.Context, subID, metaID int64) error
	AddParent(ctx context.Context, tagID, fandomID int64) error
	RemoveParent(ctx context.Context, tagID, fandomID int64) error
	// ImportTags creates or updates tags with their wrangling in one
	// transaction, in order (a spec may name tags created by earlier specs).
	ImportTags(ctx context.Context, specs []TagSpec) error
}

// TagSpec is one tag with its wrangling by name, as demo data and the
// export format carry it.
type TagSpec struct {
	Type      archive.TagType
	Name      string
	Canonical bool
	SynonymOf string
	Meta      []string
	Parents   []string
	Media     string
}

// Job is one durable background job.
type Job struct {
	ID       int64
	Kind     string
	Payload  []byte
	Attempts int
}

// Jobs is the durable job table.
type Jobs interface {
	EnqueueJob(ctx context.Context, kind string, payload []byte, runAt time.Time) (int64, error)
	// ClaimJob takes one due job and locks it until lockUntil, or returns
	// archive.ErrNotFound when none is due.
	ClaimJob(ctx context.Context, now, lockUntil time.Time) (*Job, error)
	CompleteJob(ctx context.Context, id int64, now time.Time) error
	// RetryJob records a failure and schedules the next attempt.
	RetryJob(ctx context.Context, id int64, errText string, next time.Time) error
	PendingJobs(ctx context.Context) (int, error)
	// PendingPayloads lists the payloads of the kind's jobs not yet done.
	PendingPayloads(ctx context.Context, kind string) ([][]byte, error)
}

// Dumps is the archive's logical dump (export and import) and its physical
// backup.
type Dumps interface {
	// ExportDump calls fn for every record from one consistent snapshot, in
	// dump order: tags (each after the tags its wrangling names), users (with
	// their mutes and blocks), works with their chapters, series, comments,
	// kudos, bookmarks, subscriptions, readings, redirects, then reports (by id), then
	// the audit log (by id), then news posts and their comments, then the
	// settings (by key), the banner, the invitation queue (in its order)
	// and the invitations (by id), then collections (parents first, then
	// by id), their items (by collection and work) and gifts (by work and
	// position); works,
	// series, comments, bookmarks and subscriptions by id, kudos by work and
	// time, readings by reader and work, redirects by old URL. Password
	// hashes, API tokens, feed tokens and invitations' token hashes are
	// filled only with withSecrets; no record carries an IP address or an
	// address hash.
	ExportDump(ctx context.Context, withSecrets bool, fn func(DumpRecord) error) error
	// ImportDump runs fn in one write transaction: what fn puts through w
	// lands together, or nothing does (fn returns an error, or dryRun).
	ImportDump(ctx context.Context, dryRun bool, fn func(w DumpWriter) error) error
	// Backup writes a consistent snapshot of the whole archive to path, a
	// file that must not exist yet, while the archive keeps serving writes.
	Backup(ctx context.Context, path string) error
}

// DumpRecord is one exported record: exactly one field is set.
type DumpRecord struct {
	Tag      *TagSpec
	User     *DumpUser
	Work     *DumpWork
	Comment  *DumpComment
	Kudos    *DumpKudos
	Bookmark *DumpBookmark

	Series       *DumpSeries
	Subscription *DumpSubscription
	Reading      *DumpReading
	HiddenWork   *DumpHiddenWork
	SavedSearch  *DumpSavedSearch
	Redirect     *DumpRedirect
	Report       *DumpReport
	// Audit is one audit log entry (its ID is not carried across archives).
	Audit *archive.AuditEntry

	NewsPost    *DumpNewsPost
	NewsComment *DumpNewsComment

	// CreatorInvitation is a pending co-creator invitation.
	CreatorInvitation *DumpCreatorInvitation

	Setting       *DumpSetting
	Banner        *archive.Banner
	InviteRequest *DumpInviteRequest
	Invitation    *DumpInvitation

	Collection     *DumpCollection
	CollectionItem *archive.CollectionItem
	Gift           *DumpGift
	RelatedWork    *DumpRelatedWork

	Challenge  *DumpChallenge
	Signup     *DumpSignup
	Assignment *DumpAssignment
	// PinchHitter is a volunteer on a challenge's pinch-hit list.
	PinchHitter *DumpPinchHitter

	MemePrompt *DumpMemePrompt
	Claim      *archive.Claim
}

// DumpPinchHitter is a volunteer (PinchHitter.Name names the account) on
// a collection's challenge's pinch-hit list.
type DumpPinchHitter struct {
	Collection  string
	PinchHitter archive.PinchHitter
}

// DumpMemePrompt is a prompt meme's prompt, id kept (Prompt.UserName
// names the account; "" when it was deleted).
type DumpMemePrompt struct {
	Collection string
	Prompt     archive.Prompt
}

// DumpChallenge is a collection's challenge, by the collection's name.
type DumpChallenge struct {
	Collection string
	Challenge  archive.Challenge
}

// DumpSignup is a sign-up (Signup.UserName names the account) with its
// requests and offers, ids kept.
type DumpSignup struct {
	Collection string
	Signup     archive.Signup
}

// DumpAssignment is an assignment with its id kept (Recipient and Giver
// name accounts).
type DumpAssignment struct {
	Collection string
	Assignment archive.Assignment
}

// DumpRelatedWork is one link a work names; the parent is a work id (0 for
// a link elsewhere).
type DumpRelatedWork struct {
	archive.RelatedWork
}

// DumpSetting is one site setting.
type DumpSetting struct {
	Key, Value string
}

// DumpInviteRequest is an address in the invitation queue; the queue's
// order is the order of the records.
type DumpInviteRequest struct {
	Email     string
	CreatedAt time.Time
}

// DumpInvitation is an invitation with its id kept: Owner names the
// account that holds it to hand on ("" for one the archive issued),
// Invitation.UsedBy the account made with it; TokenHash (its mailed link)
// only with secrets.
type DumpInvitation struct {
	Invitation archive.Invitation
	Owner      string
	TokenHash  string
}

// DumpCollection is a collection with its id kept; Parent names its parent
// collection and Maintainers name accounts (UserName, Role).
type DumpCollection struct {
	Collection archive.Collection
}

// DumpGift is one of a work's gifts by position: User names the account
// ("" for a free name or a deleted account).
type DumpGift struct {
	WorkID    int64
	Position  int
	Name      string
	User      string
	Refused   bool
	CreatedAt time.Time
}

// DumpCreatorInvitation is a pending co-creator invitation: the invited
// pseud by name, the inviting pseud's name as shown.
type DumpCreatorInvitation struct {
	WorkID int64
	// ChapterID names the chapter invited to (0: the work).
	ChapterID int64
	Pseud     string
	Inviter   string
	CreatedAt time.Time
}

// DumpSeries is a series with its id kept (0 on import: a new id). Its
// Creators name pseuds; Works are its work ids in order.
type DumpSeries struct {
	Series archive.Series
}

// DumpSubscription is one subscription: User names the reader; Target is
// the work's or series' id, TargetUser the followed account's name.
type DumpSubscription struct {
	User       string
	Kind       string // work, series or user
	Target     int64
	TargetUser string
	CreatedAt  time.Time
}

// DumpReading is one reader's history with one work; ChapterID is 0 when
// the chapter last opened was deleted.
type DumpReading struct {
	User           string
	WorkID         int64
	ChapterID      int64
	Views          int
	MarkedForLater bool
	FirstReadAt    time.Time
	LastReadAt     time.Time
}

// DumpHiddenWork is one work a reader hid from their listings.
type DumpHiddenWork struct {
	User      string
	WorkID    int64
	CreatedAt time.Time
}

// DumpSavedSearch is a reader's saved search. FeedToken is empty unless
// exported with secrets; an import without one gives the search a new one.
type DumpSavedSearch struct {
	User string
	SavedSearch
}

// DumpRedirect maps an old URL (a path with its query, as an imported
// archive served it) to a path of this archive.
type DumpRedirect struct {
	From string
	To   string
}

// Redirects holds the old URLs of imported archives.
type Redirects interface {
	// RedirectTarget returns where an old URL (path and query, as stored)
	// leads, or archive.ErrNotFound.
	RedirectTarget(ctx context.Context, from string) (string, error)
}

// DumpUser is an account with its pseuds (and, with secrets, its password
// hash, API token hashes and feed token). User.ID is not carried across
// archives.
type DumpUser struct {
	User   archive.User
	Pseuds []DumpPseud
	Tokens []DumpToken
	// FeedToken is the reader's private feed token, nil when they have none
	// (or the export is without secrets).
	FeedToken *DumpFeedToken
	// MutedTags, MutedUsers and BlockedUsers name what the user muted and
	// whom they blocked (tags by type and name, accounts by name).
	MutedTags    []DumpTagRef
	MutedUsers   []string
	BlockedUsers []string
	// BlockedAt dates imported blocks (the dump carries no date for them).
	BlockedAt time.Time
	// FormerNames are the account's old names (they redirect to it).
	FormerNames []FormerName
	// Bio is the account's profile text (empty when none).
	Bio archive.Rich
}

// DumpTagRef names a tag: names are unique only within a type.
type DumpTagRef struct {
	Type archive.TagType
	Name string
}

// DumpComment is a comment with its ids (work, chapter, parent) kept.
// Comment.UserName and Comment.Pseud name an account's comment (its
// UserID and PseudID are not carried across archives); AddressHash is
// never exported and never imported.
type DumpComment struct {
	Comment archive.Comment
}

// DumpKudos is one kudos: User names the account, "" for a guest (or a
// deleted account). A guest's key is never exported; an import gives each
// guest kudos a fresh random key.
type DumpKudos struct {
	WorkID    int64
	User      string
	CreatedAt time.Time
}

// DumpBookmark is a bookmark with its id kept; Bookmark.UserName names its
// owner and WorkID is 0 when the work is gone. A bookmark of a series
// (Bookmark.OfSeries) has SeriesID instead, 0 when the series is gone, and
// keeps SeriesTitle.
type DumpBookmark struct {
	Bookmark archive.Bookmark
}

// DumpPseud is one of an account's pseuds.
type DumpPseud struct {
	Name      string
	Default   bool
	CreatedAt time.Time
}

// DumpToken is an API token by its hash.
type DumpToken struct {
	Hash      string
	Name      string
	CreatedAt time.Time
}

// DumpFeedToken is a reader's feed token, in the clear as the archive
// keeps it (feed URLs carry it).
type DumpFeedToken struct {
	Token     string
	CreatedAt time.Time
}

// DumpWork is a work with every chapter (bodies included). Work.ID and the
// chapters' ids and timestamps are kept; Work.Creators and the chapters'
// own Creators name pseuds.
type DumpWork struct {
	Work     *archive.Work
	Chapters []*archive.Chapter
	// Series are the series the work is in (export only: an import puts
	// works in series through DumpSeries).
	Series []archive.SeriesRef
}

// DumpWriter inserts dump records inside ImportDump's transaction. PutWork
// takes a validated work and refuses an id the archive already has; so do
// PutComment, PutBookmark and PutSeries. A work, chapter, comment or series
// with id 0 gets a new id, set on the record (importers of other archives
// use that, so nothing collides with rows already here). PutUser ignores the user's mutes and blocks:
// PutUserLinks writes them once every user is in. A work put in the same
// transaction keeps the kudos, comments and bookmarks counts it was put
// with, whatever kudos, comments and bookmarks follow it.
type DumpWriter interface {
	PutTag(ctx context.Context, t TagSpec) error
	PutUser(ctx context.Context, u *DumpUser) error
	PutWork(ctx context.Context, w *DumpWork) error
	PutComment(ctx context.Context, c *DumpComment) error
	PutKudos(ctx context.Context, k *DumpKudos) error
	PutBookmark(ctx context.Context, b *DumpBookmark) error
	PutUserLinks(ctx context.Context, u *DumpUser) error
	PutSeries(ctx context.Context, s *DumpSeries) error
	PutSubscription(ctx context.Context, s *DumpSubscription) error
	PutReading(ctx context.Context, r *DumpReading) error
	PutHiddenWork(ctx context.Context, h *DumpHiddenWork) error
	PutSavedSearch(ctx context.Context, s *DumpSavedSearch) error
	PutRedirect(ctx context.Context, r *DumpRedirect) error
	// PutReport inserts a report with its id and notes; the accounts it
	// names must be in by now (a user target that is not gets id 0).
	PutReport(ctx context.Context, r *DumpReport) error
	// PutAudit appends an audit log entry (after those already here).
	PutAudit(ctx context.Context, e *archive.AuditEntry) error
	PutNewsPost(ctx context.Context, p *DumpNewsPost) error
	PutNewsComment(ctx context.Context, c *DumpNewsComment) error
	// PutSetting and PutBanner replace the archive's; PutInviteRequest
	// queues an address after those queued (one already queued is a
	// conflict); PutInvitation inserts one with its id, naming accounts
	// already in.
	PutSetting(ctx context.Context, s *DumpSetting) error
	PutBanner(ctx context.Context, b *archive.Banner) error
	PutInviteRequest(ctx context.Context, r *DumpInviteRequest) error
	PutInvitation(ctx context.Context, i *DumpInvitation) error

	// PutCollection inserts a collection with its id and maintainers (its
	// parent, if any, before it); PutCollectionItem and PutGift need the
	// work (and the collection) in by now.
	PutCollection(ctx context.Context, c *DumpCollection) error
	PutCollectionItem(ctx context.Context, it *archive.CollectionItem) error
	PutGift(ctx context.Context, g *DumpGift) error
	// PutRelatedWork inserts a link between works already in.
	PutRelatedWork(ctx context.Context, r *DumpRelatedWork) error
	// PutChallenge, PutSignup and PutAssignment insert a challenge, a
	// sign-up with its prompts and an assignment with their ids, after
	// their collection, accounts, prompts and works.
	PutChallenge(ctx context.Context, c *DumpChallenge) error
	PutSignup(ctx context.Context, s *DumpSignup) error
	PutAssignment(ctx context.Context, a *DumpAssignment) error
	PutPinchHitter(ctx context.Context, p *DumpPinchHitter) error
	// PutMemePrompt and PutClaim insert a prompt meme's prompt and a claim
	// (UserName names the account) with their ids, after the collection,
	// accounts and the work that fills the claim.
	PutMemePrompt(ctx context.Context, p *DumpMemePrompt) error
	PutClaim(ctx context.Context, c *archive.Claim) error
	// PutCreatorInvitation records a pending invitation of a pseud (of an
	// account) to a work already in.
	PutCreatorInvitation(ctx context.Context, c *DumpCreatorInvitation) error
	// NameTaken reports whether an account or a pseud has the name;
	// EmailTaken whether an account has the address (this file included).
	NameTaken(ctx context.Context, name string) (bool, error)
	EmailTaken(ctx context.Context, email string) (bool, error)
}

// Change is one row of the change feed that keeps several nodes' listing
// indexes and caches exact (PostgreSQL only): Kind "work" (the work Ref
// changed or is gone), "counts" (only its hits, kudos, comments or
// bookmarks counters), "graph" (tags or wrangling), "mutes" (user Ref's
// muted tags or users), "thread" (a comment on chapter Ref), "kudos" (on
// work Ref) or "names" (an account or pseud renamed or deleted; Ref 0).
type Change struct {
	ID   int64
	Kind string
	Ref  int64
	At   time.Time
}
