package store

import (
	"context"
	"time"
)

// Notify is subscriptions and the inbox they (and comments) fill.
type Notify interface {
	Subscriptions
	Inbox
}

// Subscription kinds.
const (
	SubWork   = "work"
	SubSeries = "series"
	SubUser   = "user"
)

// Subscription is a reader's subscription to a work, a series or a creator
// (Kind), by the target's id.
type Subscription struct {
	ID        int64
	UserID    int64
	Kind      string
	Target    int64
	CreatedAt time.Time
}

// SubTarget names one thing readers subscribe to.
type SubTarget struct {
	Kind   string
	Target int64
}

// Subscriptions holds readers' subscriptions.
type Subscriptions interface {
	// Subscribe inserts sub and sets its ID; a second subscription by the
	// user to the same target is archive.ErrConflict.
	Subscribe(ctx context.Context, sub *Subscription) error
	// Unsubscribe removes the user's subscription to the target,
	// archive.ErrNotFound when there is none.
	Unsubscribe(ctx context.Context, userID int64, kind string, target int64) error
	Subscription(ctx context.Context, id int64) (*Subscription, error)
	// SubscriptionOf is the user's subscription to the target.
	SubscriptionOf(ctx context.Context, userID int64, kind string, target int64) (*Subscription, error)
	// SubscriptionsByUser lists a user's subscriptions, newest first.
	SubscriptionsByUser(ctx context.Context, userID int64) ([]*Subscription, error)
	// SubscribersOf lists every subscription to any of the targets, by id.
	SubscribersOf(ctx context.Context, targets []SubTarget) ([]*Subscription, error)
	// NotifySecret is the archive's key for signing unsubscribe links.
	NotifySecret(ctx context.Context) (string, error)
}

// Inbox entry kinds.
const (
	InboxWork    = "work"    // a new work by a creator or in a series one follows
	InboxChapter = "chapter" // a new chapter of a work one follows
	InboxComment = "comment" // a comment on one's work
	InboxReply   = "reply"   // a reply to one's comment
	InboxGift    = "gift"    // a work given to one

	InboxCreatorInvitation = "creator_invitation" // an invitation to be a work's co-creator
	InboxAssignment        = "assignment"         // a gift exchange's assignment (CollectionID; WorkTitle: the recipient)
	InboxRelatedWork       = "related_work"       // a work naming one of yours as its inspiration
	InboxAssignmentDefault = "assignment_default" // to an exchange's maintainers: a giver defaulted (CollectionID; Actor: the giver; WorkTitle: the recipient)
	InboxPromptFilled      = "prompt_filled"      // a work filling one's prompt in a prompt meme (CollectionID)
)

// InboxEntry is one notice in a reader's inbox. WorkTitle, ChapterPosition,
// ChapterTitle and CommentHTML are filled on reads from the live rows
// (CommentHTML is empty for a deleted comment).
type InboxEntry struct {
	ID              int64
	UserID          int64
	Kind            string
	WorkID          int64
	ChapterID       int64
	CommentID       int64
	Actor           string // the pseud or guest name that caused it
	WorkTitle       string
	ChapterPosition int
	ChapterTitle    string
	CommentHTML     string
	// CollectionID names the collection of a challenge's notice;
	// CollectionName is filled on reads.
	CollectionID   int64
	CollectionName string
	Read           bool
	CreatedAt      time.Time
}

// InboxPage is one page of a reader's inbox, newest first.
type InboxPage struct {
	Entries []*InboxEntry
	Total   int
	Unread  int
}

// Inbox holds readers' inbox entries.
type Inbox interface {
	// AddInboxEntries inserts the entries in one transaction, setting IDs.
	AddInboxEntries(ctx context.Context, es []*InboxEntry) error
	// AddInboxEntriesOnce inserts each entry unless the user already has
	// one of its kind about the same work and chapter (a retried
	// publication tells nobody twice); skipped entries keep ID 0.
	AddInboxEntriesOnce(ctx context.Context, es []*InboxEntry) error
	// InboxEntries lists a page of the user's entries, newest first (only
	// unread ones with unreadOnly), with the totals.
	InboxEntries(ctx context.Context, userID int64, unreadOnly bool, offset, limit int) (InboxPage, error)
	// UnreadCount is how many of the user's entries are unread.
	UnreadCount(ctx context.Context, userID int64) (int, error)
	// MarkInboxRead sets the read flag of the user's entries with the ids
	// (all of them when ids is nil) and returns how many it changed.
	MarkInboxRead(ctx context.Context, userID int64, ids []int64, read bool) (int, error)
	// DeleteInboxEntries removes the user's entries with the ids and
	// returns how many it removed.
	DeleteInboxEntries(ctx context.Context, userID int64, ids []int64) (int, error)
	// CountInboxEntries is how many of the ids are the user's entries.
	CountInboxEntries(ctx context.Context, userID int64, ids []int64) (int, error)
}
