package site

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"quire/internal/archive"
)

// Feeds are read by feed readers, which have no session. A feed URL without
// a token is read as a guest; one carrying a reader's secret feed token
// (?token=…) is read as that reader: restricted works appear, and their
// muted tags and users apply, as in every listing they see. Either way only
// what the listing index lists appears: never a draft or a hidden work,
// not even in its creator's own feed.

// ErrBadFeedToken is a feed token that belongs to nobody (never issued, or
// replaced since).
var ErrBadFeedToken = errors.New("this feed link's token is not valid (it may have been replaced); copy your current private feed links from your Muted tags and users page")

// FeedToken is u's current feed token, or "" when they have none yet.
func (s *Site) FeedToken(ctx context.Context, u *archive.User) (string, error) {
	if u == nil {
		return "", archive.ErrAuth
	}
	t, err := s.store.FeedToken(ctx, u.ID)
	if errors.Is(err, archive.ErrNotFound) {
		return "", nil
	}
	return t, err
}

// NewFeedToken gives u a new feed token: the old one, and every feed URL
// carrying it, stops working.
func (s *Site) NewFeedToken(ctx context.Context, u *archive.User) (string, error) {
	if u == nil {
		return "", archive.ErrAuth
	}
	token, _ := NewSecret()
	if err := s.store.SetFeedToken(ctx, u.ID, token, s.Now()); err != nil {
		return "", err
	}
	return token, nil
}

// FeedReader is the reader a feed URL's token names: nil for no token,
// ErrBadFeedToken for a token nobody has.
func (s *Site) FeedReader(ctx context.Context, token string) (*archive.User, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, nil
	}
	u, err := s.store.FeedTokenUser(ctx, token)
	if errors.Is(err, archive.ErrNotFound) {
		return nil, ErrBadFeedToken
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// FeedWork loads a work for u's feed of its chapters: a work the listing
// index lists for u (so not a draft or hidden work, nor one u muted).
func (s *Site) FeedWork(ctx context.Context, u *archive.User, id int64) (*archive.Work, error) {
	w, err := s.Work(ctx, u, id)
	if err != nil {
		return nil, err
	}
	listed, err := s.listedAmong(ctx, u, []int64{id})
	if err != nil {
		return nil, err
	}
	if !listed[id] {
		return nil, fmt.Errorf("work %d: %w", id, archive.ErrNotFound)
	}
	return w, nil
}

// SeriesFeed loads a series with the works of it the listing index lists
// for u, by position. A series u may not see is archive.ErrNotFound.
func (s *Site) SeriesFeed(ctx context.Context, u *archive.User, id int64) (*SeriesView, []SeriesWork, error) {
	v, err := s.Series(ctx, u, id)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, 0, len(v.Visible))
	for _, sw := range v.Visible {
		ids = append(ids, sw.Work.ID)
	}
	listed, err := s.listedAmong(ctx, u, ids)
	if err != nil {
		return nil, nil, err
	}
	var out []SeriesWork
	for _, sw := range v.Visible {
		if listed[sw.Work.ID] {
			out = append(out, sw)
		}
	}
	return v, out, nil
}
