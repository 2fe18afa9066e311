package archive

import "time"

// Kudo is one kudos: by an account (UserID) or by a guest (GuestKey, a
// salted hash of the guest cookie and address).
type Kudo struct {
	ID        int64
	WorkID    int64
	UserID    int64
	GuestKey  string
	CreatedAt time.Time
}

// Comment is one comment on a chapter. An account's comment has UserID and
// PseudID (Pseud and UserName filled on reads); a guest's has GuestName and
// GuestEmail. AddressHash is a salted hash of the writer's address, kept for
// rate limits.
type Comment struct {
	ID          int64
	WorkID      int64
	ChapterID   int64
	ParentID    int64
	UserID      int64
	PseudID     int64
	Pseud       string
	UserName    string
	GuestName   string
	GuestEmail  string
	Body        Rich
	Approved    bool
	Frozen      bool
	Deleted     bool
	AddressHash string
	CreatedAt   time.Time
	EditedAt    time.Time

	// Hidden by a moderator (or with its writer's ban): only moderators
	// see it.
	Hidden bool
}
