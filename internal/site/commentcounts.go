package site

import (
	"context"

	"quire/internal/archive"
)

// A reader who muted users sees none of their comments, nor the replies
// under them (see Thread), so the comment counts they see leave those out
// too. The stored counter (works.comments) is everyone's; a reader who
// muted nobody costs nothing extra, one who did costs one store query per
// page of works. The comments sort still orders by everyone's count.

// withReaderCounts returns ws with the comment counts u sees. The works
// may be shared (the work cache), so a changed one is a copy.
func (s *Site) withReaderCounts(ctx context.Context, u *archive.User, ws []*archive.Work) []*archive.Work {
	unseen := s.unseenComments(ctx, u, ws)
	if len(unseen) == 0 {
		return ws
	}
	out := make([]*archive.Work, len(ws))
	for i, w := range ws {
		out[i] = w
		if n := unseen[w.ID]; n > 0 {
			c := *w
			c.Comments = max(c.Comments-n, 0)
			out[i] = &c
		}
	}
	return out
}

// unseenComments counts, per work, the counted comments u does not see
// because u muted their writers (or the writers of the comments they reply
// to). A failed read is logged and hides nothing.
func (s *Site) unseenComments(ctx context.Context, u *archive.User, ws []*archive.Work) map[int64]int64 {
	muted := s.MutedUserIDs(ctx, u)
	if len(muted) == 0 || len(ws) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(ws))
	for _, w := range ws {
		if w.Comments > 0 {
			ids = append(ids, w.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	n, err := s.store.MutedCommentCounts(ctx, ids, muted)
	if err != nil {
		s.Log.Warn("muted comment counts", "user", u.ID, "err", err)
		return nil
	}
	return n
}
