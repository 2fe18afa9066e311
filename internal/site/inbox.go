package site

import (
	"context"
	"fmt"
	"net/url"

	"quire/internal/archive"
	"quire/internal/store"
)

// Inbox paging.
const (
	InboxPerPage    = 20
	MaxInboxPerPage = 100
)

// InboxItem is an inbox entry as its owner may see it now: Gone when its
// work became a draft or hidden since (its title and text are then blank).
type InboxItem struct {
	*store.InboxEntry
	Gone bool
	URL  string // the chapter (and comment) it is about, relative to the site
}

// InboxView is one page of u's inbox.
type InboxView struct {
	Items   []*InboxItem
	Total   int
	Unread  int
	Page    int
	PerPage int
}

// Inbox lists a page of u's inbox, newest first (page and perPage 0 mean
// the defaults), with the unread count.
func (s *Site) Inbox(ctx context.Context, u *archive.User, unreadOnly bool, page, perPage int) (*InboxView, error) {
	if u == nil {
		return nil, archive.ErrAuth
	}
	if page <= 0 {
		page = 1
	}
	if perPage <= 0 {
		perPage = InboxPerPage
	}
	if perPage > MaxInboxPerPage {
		return nil, archive.Invalid("per_page", "must be at most %d", MaxInboxPerPage)
	}
	if page > 1_000_000 {
		return nil, archive.Invalid("page", "is too large")
	}
	p, err := s.store.InboxEntries(ctx, u.ID, unreadOnly, (page-1)*perPage, perPage)
	if err != nil {
		return nil, err
	}
	v := &InboxView{Total: p.Total, Unread: p.Unread, Page: page, PerPage: perPage}
	ids := make([]int64, 0, len(p.Entries))
	for _, e := range p.Entries {
		if e.WorkID != 0 {
			ids = append(ids, e.WorkID)
		}
	}
	ws, err := s.worksByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	works := map[int64]*archive.Work{}
	for _, w := range ws {
		if w != nil {
			works[w.ID] = w
		}
	}
	for _, e := range p.Entries {
		it := &InboxItem{InboxEntry: e}
		w := works[e.WorkID]
		if e.Kind == store.InboxAssignment {
			// The giver's assignments page shows the request.
			it.URL = "/assignments"
		} else if e.Kind == store.InboxAssignmentDefault {
			it.URL = "/collections/" + url.PathEscape(e.CollectionName) + "/exchange#pinch-hits"
		} else if e.Kind == store.InboxCreatorInvitation && w != nil {
			// The invitee may not see the work yet (a draft): the
			// invitation names it and leads to the invitations page.
			it.URL = "/account/creator_invitations"
		} else if e.Kind == store.InboxRelatedWork && w != nil && CanView(u, w) {
			it.URL = "/account/related_works"
		} else if w == nil || !CanView(u, w) {
			it.Gone = true
			e.WorkTitle, e.ChapterTitle, e.CommentHTML = "", "", ""
		} else {
			it.URL = fmt.Sprintf("/works/%d", e.WorkID)
			if e.ChapterID != 0 {
				it.URL += fmt.Sprintf("/chapters/%d", e.ChapterID)
			}
			if e.CommentID != 0 {
				it.URL += fmt.Sprintf("#comment-%d", e.CommentID)
			}
		}
		v.Items = append(v.Items, it)
	}
	return v, nil
}

// UnreadCount is how many of u's inbox entries are unread.
func (s *Site) UnreadCount(ctx context.Context, u *archive.User) (int, error) {
	if u == nil {
		return 0, archive.ErrAuth
	}
	return s.store.UnreadCount(ctx, u.ID)
}

// MarkInboxRead marks u's entries read (or unread); all of them with all.
// It returns how many changed.
func (s *Site) MarkInboxRead(ctx context.Context, u *archive.User, ids []int64, all, read bool) (int, error) {
	if u == nil {
		return 0, archive.ErrAuth
	}
	if all {
		return s.store.MarkInboxRead(ctx, u.ID, nil, read)
	}
	if len(ids) == 0 {
		return 0, archive.Invalid("ids", "name at least one inbox entry (or send all)")
	}
	if len(ids) > MaxInboxPerPage*10 {
		return 0, archive.Invalid("ids", "at most %d at a time", MaxInboxPerPage*10)
	}
	// As for deleting: none of them being u's is archive.ErrNotFound, so
	// that another reader's entry looks exactly like a missing one.
	mine, err := s.store.CountInboxEntries(ctx, u.ID, ids)
	if err != nil {
		return 0, err
	}
	if mine == 0 {
		return 0, fmt.Errorf("inbox entry: %w", archive.ErrNotFound)
	}
	return s.store.MarkInboxRead(ctx, u.ID, ids, read)
}

// DeleteInboxEntries removes u's entries with the ids; none of them being
// u's is archive.ErrNotFound.
func (s *Site) DeleteInboxEntries(ctx context.Context, u *archive.User, ids []int64) (int, error) {
	if u == nil {
		return 0, archive.ErrAuth
	}
	if len(ids) == 0 {
		return 0, archive.Invalid("ids", "name at least one inbox entry")
	}
	if len(ids) > MaxInboxPerPage*10 {
		return 0, archive.Invalid("ids", "at most %d at a time", MaxInboxPerPage*10)
	}
	n, err := s.store.DeleteInboxEntries(ctx, u.ID, ids)
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, fmt.Errorf("inbox entry: %w", archive.ErrNotFound)
	}
	return n, nil
}
