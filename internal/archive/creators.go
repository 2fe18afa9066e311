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
	// ChapterID names the chapter the invitation is to (0: the work);
	// ChapterPosition is filled on reads. Accepting a chapter's invitation
	// credits the pseud on the chapter and on the work, as AO3 does.
	ChapterID       int64
	ChapterPosition int
}

// MaxChapterCreators bounds the pseuds one chapter's byline may name
// (AO3 states none; ours keeps a form from inviting half the archive).
const MaxChapterCreators = 20

// ChapterByline is the byline a chapter shows beside its work's: the
// chapter's own creators when they differ from the work's (as a set), nil
// otherwise — and always nil on a masked work (an anonymous collection
// hides chapter creators as it hides the work's).
func ChapterByline(w *Work, c *Chapter) []Creator {
	if w == nil || c == nil || w.Masked || len(c.Creators) == 0 {
		return nil
	}
	same := len(c.Creators) == len(w.Creators)
	if same {
		for _, cc := range c.Creators {
			found := false
			for _, wc := range w.Creators {
				if wc.PseudID == cc.PseudID {
					found = true
					break
				}
			}
			if !found {
				same = false
				break
			}
		}
	}
	if same {
		return nil
	}
	return c.Creators
}
