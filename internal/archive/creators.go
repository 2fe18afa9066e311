package archive

import "time"

// CreatorInvitation is a pending invitation of a pseud to a work's byline.
// WorkTitle, Pseud and UserID (the invitee's account) are filled on reads.
type CreatorInvitation struct {
	ID        int64
	WorkID    int64
	WorkTitle string
	PseudID   int64
	Pseud     string
	UserID    int64
	// Inviter is the pseud name that sent the invitation.
	Inviter   string
	CreatedAt time.Time
}
