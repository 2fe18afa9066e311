package dump

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"quire/internal/archive"
	"quire/internal/store"
)

// Prompt memes, after the challenges: each prompt (by id), then each
// claim (by id), with the work that fills it.
//
//	{"type":"prompt","collection","user" (or null once deleted),"anonymous", …PROMPT as a sign-up's…}
//	{"type":"prompt_claim","id","prompt_id","user","work_id" (0: not filled),"filled_at","created_at"}

type memePromptLine struct {
	Type       string  `json:"type"`
	Collection string  `json:"collection"`
	User       *string `json:"user"`
	Anonymous  bool    `json:"anonymous"`
	promptLine
}

type claimLine struct {
	Type      string `json:"type"`
	ID        int64  `json:"id"`
	PromptID  int64  `json:"prompt_id"`
	User      string `json:"user"`
	WorkID    int64  `json:"work_id"`
	FilledAt  string `json:"filled_at"`
	CreatedAt string `json:"created_at"`
}

func memePromptToLine(dp *store.DumpMemePrompt) memePromptLine {
	return memePromptLine{Type: "prompt", Collection: dp.Collection, User: nameOrNull(dp.Prompt.UserName),
		Anonymous: dp.Prompt.Anonymous, promptLine: promptToLine(&dp.Prompt)}
}

func claimToLine(c *archive.Claim) claimLine {
	return claimLine{Type: "prompt_claim", ID: c.ID, PromptID: c.PromptID, User: c.UserName, WorkID: c.WorkID,
		FilledAt: ts(c.FilledAt), CreatedAt: ts(c.CreatedAt)}
}

// putPromptMemes reads a prompt or claim line; ok is false for another
// type.
func (im *importer) putPromptMemes(ctx context.Context, w store.DumpWriter, kind string, raw []byte) (ok bool, err error) {
	switch kind {
	case "prompt":
		var l memePromptLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		p, err := im.prompt(archive.PromptPrompt, 0, l.promptLine)
		if err != nil {
			return true, fmt.Errorf("prompt: %v", err)
		}
		p.Anonymous = l.Anonymous
		if l.User != nil {
			p.UserName = strings.TrimSpace(*l.User)
		}
		return true, w.PutMemePrompt(ctx, &store.DumpMemePrompt{Collection: strings.TrimSpace(l.Collection), Prompt: p})
	case "prompt_claim":
		var l claimLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		if l.ID <= 0 || l.PromptID <= 0 || l.WorkID < 0 {
			return true, errors.New("prompt_claim: id and prompt_id must be positive, work_id not negative")
		}
		c := archive.Claim{ID: l.ID, PromptID: l.PromptID, UserName: strings.TrimSpace(l.User), WorkID: l.WorkID}
		if c.FilledAt, err = im.parseTime("filled_at", l.FilledAt, true); err != nil {
			return true, fmt.Errorf("prompt_claim %d: %v", l.ID, err)
		}
		if c.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
			return true, fmt.Errorf("prompt_claim %d: %v", l.ID, err)
		}
		return true, w.PutClaim(ctx, &c)
	}
	return false, nil
}
