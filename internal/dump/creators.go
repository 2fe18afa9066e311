package dump

import (
	"errors"
	"fmt"
	"strings"

	"quire/internal/store"
)

// Pending co-creator invitations, after everything else:
//
//	{"type":"creator_invitation","work_id","chapter_id" (absent: an invitation to the work),"pseud" (the invited pseud),"from" (the inviting pseud's name),"created_at"}

type creatorInvitationLine struct {
	Type      string `json:"type"`
	WorkID    int64  `json:"work_id"`
	ChapterID int64  `json:"chapter_id,omitempty"`
	Pseud     string `json:"pseud"`
	From      string `json:"from"`
	CreatedAt string `json:"created_at"`
}

func creatorInvitationToLine(c *store.DumpCreatorInvitation) creatorInvitationLine {
	return creatorInvitationLine{Type: "creator_invitation", WorkID: c.WorkID, ChapterID: c.ChapterID, Pseud: c.Pseud, From: c.Inviter, CreatedAt: ts(c.CreatedAt)}
}

func (im *importer) creatorInvitation(l creatorInvitationLine) (*store.DumpCreatorInvitation, error) {
	if l.WorkID <= 0 {
		return nil, errors.New("work_id: a co-creator invitation needs the id of its work")
	}
	if l.ChapterID < 0 {
		return nil, errors.New("chapter_id: a chapter id is positive (or absent for an invitation to the work)")
	}
	c := &store.DumpCreatorInvitation{WorkID: l.WorkID, ChapterID: l.ChapterID, Pseud: strings.TrimSpace(l.Pseud), Inviter: strings.TrimSpace(l.From)}
	if c.Pseud == "" {
		return nil, errors.New("pseud: a co-creator invitation names the invited pseud")
	}
	var err error
	if c.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return nil, fmt.Errorf("co-creator invitation to work %d: %v", l.WorkID, err)
	}
	return c, nil
}
