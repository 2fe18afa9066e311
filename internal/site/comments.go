package site

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"quire/internal/archive"
)

// Comment limits.
const (
	// CommentsPerMinute is how many comments one account, or one address,
	// may post in a minute.
	CommentsPerMinute = 10
)

// RateLimitError is a refusal for posting too fast (HTTP 429).
type RateLimitError struct {
	Wait    time.Duration
	Message string // what limit, and when it lifts (the comment flood's when empty)
}

func (e *RateLimitError) Error() string {
	if e.Message != "" {
		return e.Message
	}
	return fmt.Sprintf("you are commenting too fast; the limit is %d comments a minute, try again in %d seconds",
		CommentsPerMinute, int(e.Wait.Seconds()+0.999))
}

var (
	ErrCommentsOff   = &Refusal{Code: "comments_disabled", Message: "the creator has turned off comments on this work"}
	ErrThreadFrozen  = &Refusal{Code: "thread_frozen", Message: "this comment thread is frozen; it takes no new replies"}
	ErrNotYourThread = &Refusal{Code: "forbidden", Message: "only the comment's writer or the work's creator may do this"}
	errGuestComments = archive.Explain(archive.ErrAuth, "log in to comment on this work; its creator accepts comments from registered users only")
)

// CommentNode is a comment in its thread, with what the viewer may do.
type CommentNode struct {
	*archive.Comment
	Replies     []*CommentNode
	Depth       int
	Held        bool // awaiting the creator's approval
	CanEdit     bool
	CanDelete   bool
	CanModerate bool
	CanReply    bool
	// Staff: the viewer is a moderator (hide, unhide, delete with a reason).
	Staff bool
}

// Author is the name a comment shows: the pseud, or the guest's name.
func (n *CommentNode) Author() string {
	if n.Pseud != "" {
		return n.Pseud
	}
	if n.GuestName != "" {
		return n.GuestName
	}
	return "(deleted account)"
}

// CommentableChapter resolves a chapter of a work that u may see and
// comment on: a draft work or chapter is not found for anyone but its
// creators, and takes no comments from them either.
func (s *Site) CommentableChapter(ctx context.Context, u *archive.User, workID, chapterID int64) (*archive.Work, *archive.Chapter, error) {
	w, err := s.Work(ctx, u, workID)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.chapter(ctx, workID, chapterID)
	if err != nil {
		return nil, nil, err
	}
	if c.Draft && !CanEdit(u, w) {
		return nil, nil, fmt.Errorf("chapter %d: %w", chapterID, archive.ErrNotFound)
	}
	return w, c, nil
}

// PostComment adds v's comment (or reply, with in.ParentID) to chapter c of
// work w, both as CommentableChapter returned them.
func (s *Site) PostComment(ctx context.Context, v Visitor, w *archive.Work, c *archive.Chapter, in archive.CommentInput) (*archive.Comment, error) {
	u := v.User
	if w.Draft || c.Draft {
		return nil, archive.Invalid("chapter", "a draft takes no comments until it is posted")
	}
	switch w.CommentPermission {
	case archive.CommentsNone:
		return nil, ErrCommentsOff
	case archive.CommentsEveryone:
	default:
		if u == nil {
			return nil, errGuestComments
		}
	}
	if err := s.checkBlocked(ctx, w, u); err != nil {
		return nil, err
	}
	cm := &archive.Comment{WorkID: w.ID, ChapterID: c.ID, CreatedAt: s.Now().Truncate(1e9)}
	if err := archive.PrepareComment(cm, in, u == nil); err != nil {
		return nil, err
	}
	if u != nil {
		pseuds, err := s.bylinePseuds(ctx, u, nil)
		if err != nil {
			return nil, err
		}
		cm.UserID, cm.PseudID = u.ID, pseuds[0]
	}
	if in.ParentID != 0 {
		parent, err := s.store.Comment(ctx, in.ParentID)
		if err != nil || parent.ChapterID != c.ID || !canSeeComment(u, w, parent) {
			return nil, archive.Invalid("parent_id", "must be a comment on the same chapter")
		}
		if parent.Deleted {
			return nil, archive.Invalid("parent_id", "that comment was deleted")
		}
		frozen, err := s.threadFrozen(ctx, parent)
		if err != nil {
			return nil, err
		}
		if frozen {
			return nil, ErrThreadFrozen
		}
		cm.ParentID = parent.ID
	}
	addr, err := s.visitorHash(ctx, "address", v.Address)
	if err != nil {
		return nil, err
	}
	cm.AddressHash = addr
	if err := s.commentRateLimit(ctx, cm); err != nil {
		return nil, err
	}
	held, err := s.checkNewComment(ctx, u, cm.Body, cm.AddressHash)
	if err != nil {
		return nil, err
	}
	cm.Approved = (!w.ModeratedComments && held == nil) || CanEdit(u, w)
	var audit []*archive.AuditEntry
	if !cm.Approved && held != nil {
		audit = append(audit, held)
	}
	if err := s.store.CreateComment(ctx, cm, audit...); err != nil {
		return nil, err
	}
	s.forgetThread(c.ID)
	if _, err := s.syncCounts(ctx, w.ID); err != nil {
		return nil, err
	}
	s.notifyComment(ctx, w, cm.ID)
	return s.store.Comment(ctx, cm.ID)
}

// commentRateLimit allows CommentsPerMinute per account and per address.
// The comments table is the counter, so every node of an archive and a
// restart see the same count.
func (s *Site) commentRateLimit(ctx context.Context, cm *archive.Comment) error {
	now := s.Now()
	since := now.Add(-time.Minute)
	check := func(userID int64, addr string) error {
		times, err := s.store.CommentTimesSince(ctx, userID, addr, since)
		if err != nil {
			return err
		}
		if len(times) >= CommentsPerMinute {
			wait := times[len(times)-CommentsPerMinute].Add(time.Minute).Sub(now)
			if wait < time.Second {
				wait = time.Second
			}
			return &RateLimitError{Wait: wait}
		}
		return nil
	}
	if cm.UserID > 0 {
		if err := check(cm.UserID, ""); err != nil {
			return err
		}
	}
	return check(0, cm.AddressHash)
}

// threadFrozen reports whether the comment or one above it is frozen.
func (s *Site) threadFrozen(ctx context.Context, c *archive.Comment) (bool, error) {
	for depth := 0; c != nil && depth < 1000; depth++ {
		if c.Frozen {
			return true, nil
		}
		if c.ParentID == 0 {
			return false, nil
		}
		var err error
		c, err = s.store.Comment(ctx, c.ParentID)
		if errors.Is(err, archive.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
	return false, nil
}

// canSeeComment: a held comment is seen by its writer and the work's
// creators; one hidden by the moderators only by moderators.
func canSeeComment(u *archive.User, w *archive.Work, c *archive.Comment) bool {
	if c.Hidden {
		return CanModerate(u)
	}
	return c.Approved || CanEdit(u, w) || (u != nil && c.UserID == u.ID)
}

// Thread is a chapter's comments as u sees them: roots and replies each in
// the order written. A deleted comment stays only to hold its replies.
func (s *Site) Thread(ctx context.Context, u *archive.User, w *archive.Work, c *archive.Chapter) ([]*CommentNode, error) {
	all, err := s.chapterComments(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	canReply := w.CommentPermission != archive.CommentsNone && !w.Draft && !c.Draft &&
		(u != nil || w.CommentPermission == archive.CommentsEveryone)
	if canReply && u != nil && s.checkBlocked(ctx, w, u) != nil {
		canReply = false
	}
	// A reader who muted a user sees none of their comments (nor the
	// replies under them).
	muted := s.MutedUserIDs(ctx, u)
	// Under a work whose creators u may not know, their comments are the
	// "Anonymous Creator"'s.
	var hiddenCreators *archive.Work
	if w.Masked {
		if ws, err := s.worksByIDs(ctx, []int64{w.ID}); err == nil && len(ws) == 1 {
			hiddenCreators = ws[0]
		}
	}
	nodes := map[int64]*CommentNode{}
	var roots []*CommentNode
	for _, cm := range all {
		anonymous := hiddenCreators != nil && hiddenCreators.HasCreatorUser(cm.UserID)
		if !canSeeComment(u, w, cm) || cm.UserID != 0 && !anonymous && slices.Contains(muted, cm.UserID) {
			continue
		}
		if anonymous {
			c := *cm
			c.Pseud, c.UserName = AnonymousCommenter, ""
			cm = &c
		}
		n := &CommentNode{Comment: cm, Held: !cm.Approved}
		mine := u != nil && cm.UserID == u.ID
		n.CanEdit = mine && !cm.Deleted
		n.CanDelete = (mine || CanEdit(u, w)) && !cm.Deleted
		n.CanModerate = CanEdit(u, w) && !cm.Deleted
		n.Staff = CanModerate(u) && !cm.Deleted
		nodes[cm.ID] = n
		if p := nodes[cm.ParentID]; cm.ParentID != 0 && p != nil {
			n.Depth = p.Depth + 1
			n.CanReply = canReply && p.CanReply && !cm.Frozen && !cm.Deleted
			p.Replies = append(p.Replies, n)
		} else if cm.ParentID == 0 {
			n.CanReply = canReply && !cm.Frozen && !cm.Deleted
			roots = append(roots, n)
		}
		// A reply under a comment the viewer can't see is not shown.
	}
	return prune(roots), nil
}

// prune drops deleted comments that no longer hold a visible reply.
func prune(ns []*CommentNode) []*CommentNode {
	out := ns[:0]
	for _, n := range ns {
		n.Replies = prune(n.Replies)
		if n.Deleted && len(n.Replies) == 0 {
			continue
		}
		out = append(out, n)
	}
	return out
}

// Flatten lists a thread depth first, as the API returns it.
func Flatten(ns []*CommentNode) []*CommentNode {
	var out []*CommentNode
	var walk func([]*CommentNode)
	walk = func(ns []*CommentNode) {
		for _, n := range ns {
			out = append(out, n)
			walk(n.Replies)
		}
	}
	walk(ns)
	return out
}

// loadComment loads a comment and its work as u may see them.
func (s *Site) loadComment(ctx context.Context, u *archive.User, id int64) (*archive.Comment, *archive.Work, error) {
	cm, err := s.store.Comment(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	w, _, err := s.CommentableChapter(ctx, u, cm.WorkID, cm.ChapterID)
	if err != nil {
		return nil, nil, err
	}
	if !canSeeComment(u, w, cm) || cm.Deleted {
		return nil, nil, fmt.Errorf("comment %d: %w", id, archive.ErrNotFound)
	}
	return cm, w, nil
}

// CommentFor loads one comment u may see, with its work.
func (s *Site) CommentFor(ctx context.Context, u *archive.User, id int64) (*archive.Comment, *archive.Work, error) {
	cm, w, err := s.loadComment(ctx, u, id)
	if err != nil || !w.Masked {
		return cm, w, err
	}
	if ws, err := s.worksByIDs(ctx, []int64{w.ID}); err == nil && len(ws) == 1 && ws[0].HasCreatorUser(cm.UserID) {
		c := *cm
		c.Pseud, c.UserName = AnonymousCommenter, ""
		cm = &c
	}
	return cm, w, nil
}

// EditComment replaces the body of u's own comment.
func (s *Site) EditComment(ctx context.Context, u *archive.User, id int64, in archive.CommentInput) (*archive.Comment, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	cm, _, err := s.loadComment(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if cm.UserID != u.ID {
		return nil, &Refusal{Code: "forbidden", Message: "only the comment's writer may edit it"}
	}
	format := in.Format
	if format == "" {
		format = string(cm.Body.Format)
	}
	body, err := archive.PrepareCommentBody(in.Body, format)
	if err != nil {
		return nil, err
	}
	cm.Body = body
	cm.EditedAt = s.Now().Truncate(1e9)
	if err := s.store.UpdateComment(ctx, cm); err != nil {
		return nil, err
	}
	s.forgetThread(cm.ChapterID)
	return s.store.Comment(ctx, id)
}

// DeleteComment removes a comment: its writer or the work's creators may.
func (s *Site) DeleteComment(ctx context.Context, u *archive.User, id int64) error {
	if u == nil {
		return archive.ErrAuth
	}
	cm, w, err := s.loadComment(ctx, u, id)
	if err != nil {
		return err
	}
	if cm.UserID != u.ID && !CanEdit(u, w) {
		return ErrNotYourThread
	}
	if err := s.store.DeleteComment(ctx, id); err != nil {
		return err
	}
	s.forgetThread(cm.ChapterID)
	_, err = s.syncCounts(ctx, w.ID)
	return err
}

// ApproveComment makes a held comment visible; the work's creators may.
func (s *Site) ApproveComment(ctx context.Context, u *archive.User, id int64) (*archive.Comment, error) {
	return s.moderate(ctx, u, id, func(c *archive.Comment) { c.Approved = true })
}

// FreezeComment stops (or, with frozen false, allows again) replies under a
// comment; the work's creators may.
func (s *Site) FreezeComment(ctx context.Context, u *archive.User, id int64, frozen bool) (*archive.Comment, error) {
	return s.moderate(ctx, u, id, func(c *archive.Comment) { c.Frozen = frozen })
}

func (s *Site) moderate(ctx context.Context, u *archive.User, id int64, change func(*archive.Comment)) (*archive.Comment, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	cm, w, err := s.loadComment(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !CanEdit(u, w) {
		return nil, &Refusal{Code: "forbidden", Message: "only the work's creator may moderate its comments"}
	}
	change(cm)
	if err := s.store.UpdateComment(ctx, cm); err != nil {
		return nil, err
	}
	s.forgetThread(cm.ChapterID)
	if _, err := s.syncCounts(ctx, w.ID); err != nil {
		return nil, err
	}
	return s.store.Comment(ctx, id)
}
