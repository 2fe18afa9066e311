package site

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"quire/internal/archive"
	"quire/internal/text"
)

// News: admins post the archive's news (AO3's admin posts); logged-in
// readers comment on it. The site banner is here too.

// NewsPerPage is how many posts a page of /admin_posts shows.
const NewsPerPage = 10

// BannerRefresh is how long a node may show a banner it read before
// reading it again: another node's change shows here within it.
const BannerRefresh = time.Second

// NewsInput is a new or edited news post.
type NewsInput struct {
	Title  string
	Body   string
	Format string // html (default) or markdown
}

// NewsAdmin refuses anyone but an admin: guests with archive.ErrAuth, others
// with archive.ErrForbidden.
func NewsAdmin(u *archive.User) error {
	if u == nil {
		return archive.ErrAuth
	}
	if !u.IsAdmin() {
		return fmt.Errorf("only admins may do this: %w", archive.ErrForbidden)
	}
	return nil
}

// NewsPage is one page (1-based) of news posts, newest first, and how many
// posts there are.
func (s *Site) NewsPage(ctx context.Context, page int) ([]*archive.NewsPost, int, error) {
	if page < 1 {
		page = 1
	}
	return s.store.NewsPosts(ctx, (page-1)*NewsPerPage, NewsPerPage)
}

// LatestNews is the newest n posts.
func (s *Site) LatestNews(ctx context.Context, n int) ([]*archive.NewsPost, error) {
	ps, _, err := s.store.NewsPosts(ctx, 0, n)
	return ps, err
}

// NewsPost is one post; news is public.
func (s *Site) NewsPost(ctx context.Context, id int64) (*archive.NewsPost, error) {
	return s.store.NewsPost(ctx, id)
}

// PostNews publishes u's news post; admins only.
func (s *Site) PostNews(ctx context.Context, u *archive.User, in NewsInput) (*archive.NewsPost, error) {
	if err := NewsAdmin(u); err != nil {
		return nil, err
	}
	title, body, err := archive.PrepareNewsPost(in.Title, in.Body, in.Format)
	if err != nil {
		return nil, err
	}
	now := s.Now().Truncate(time.Second)
	p := &archive.NewsPost{Title: title, Body: body, AuthorID: u.ID, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateNewsPost(ctx, p, s.entry(u, archive.AuditPostNews, "", title)); err != nil {
		return nil, err
	}
	return s.store.NewsPost(ctx, p.ID)
}

// EditNews replaces a post's title and body; admins only.
func (s *Site) EditNews(ctx context.Context, u *archive.User, id int64, in NewsInput) (*archive.NewsPost, error) {
	if err := NewsAdmin(u); err != nil {
		return nil, err
	}
	p, err := s.store.NewsPost(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Title, p.Body, err = archive.PrepareNewsPost(in.Title, in.Body, in.Format); err != nil {
		return nil, err
	}
	p.UpdatedAt = s.Now().Truncate(time.Second)
	if err := s.store.UpdateNewsPost(ctx, p, s.entry(u, archive.AuditEditNews, "", p.Title)); err != nil {
		return nil, err
	}
	return s.store.NewsPost(ctx, id)
}

// DeleteNews removes a post and its comments; admins only.
func (s *Site) DeleteNews(ctx context.Context, u *archive.User, id int64) error {
	if err := NewsAdmin(u); err != nil {
		return err
	}
	p, err := s.store.NewsPost(ctx, id)
	if err != nil {
		return err
	}
	return s.store.DeleteNewsPost(ctx, id, s.entry(u, archive.AuditDeleteNews, "", p.Title))
}

// NewsCommentView is a news comment with what the viewer may do.
type NewsCommentView struct {
	*archive.NewsComment
	CanDelete bool
}

// Author is the name a news comment shows.
func (c *NewsCommentView) Author() string {
	if c.UserName == "" {
		return "(deleted account)"
	}
	return c.UserName
}

// NewsComments lists a post's comments as u sees them, oldest first.
func (s *Site) NewsComments(ctx context.Context, u *archive.User, postID int64) ([]*NewsCommentView, error) {
	if _, err := s.store.NewsPost(ctx, postID); err != nil {
		return nil, err
	}
	cs, err := s.store.NewsComments(ctx, postID)
	if err != nil {
		return nil, err
	}
	out := make([]*NewsCommentView, 0, len(cs))
	for _, c := range cs {
		out = append(out, &NewsCommentView{NewsComment: c, CanDelete: u != nil && (u.IsAdmin() || c.UserID == u.ID)})
	}
	return out, nil
}

// CommentOnNews adds u's comment to a post: logged-in readers only, not
// while banned or suspended nor before the account's e-mail address is
// verified (as for comments on works), with the length limit, sanitizing
// and rate limit (CommentsPerMinute) of comments on works.
func (s *Site) CommentOnNews(ctx context.Context, u *archive.User, postID int64, body, format string) (*archive.NewsComment, error) {
	if u == nil {
		return nil, archive.Explain(archive.ErrAuth, "log in to comment on news")
	}
	if u.Banned {
		return nil, &archive.BannedError{Reason: u.ModerationReason}
	}
	if err := s.CheckWrite(u); err != nil {
		return nil, err
	}
	if err := s.checkWriter(ctx, u); err != nil {
		return nil, err
	}
	if _, err := s.store.NewsPost(ctx, postID); err != nil {
		return nil, err
	}
	rich, err := archive.PrepareCommentBody(body, format)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	times, err := s.store.NewsCommentTimesSince(ctx, u.ID, now.Add(-time.Minute))
	if err != nil {
		return nil, err
	}
	if len(times) >= CommentsPerMinute {
		return nil, &RateLimitError{Wait: max(time.Second, times[len(times)-CommentsPerMinute].Add(time.Minute).Sub(now))}
	}
	c := &archive.NewsComment{PostID: postID, UserID: u.ID, Body: rich, CreatedAt: now.Truncate(time.Second)}
	if err := s.store.CreateNewsComment(ctx, c); err != nil {
		return nil, err
	}
	return s.store.NewsComment(ctx, c.ID)
}

// DeleteNewsComment removes a comment on a post: its writer or an admin may.
// It returns the post's id.
func (s *Site) DeleteNewsComment(ctx context.Context, u *archive.User, id int64) (int64, error) {
	if u == nil {
		return 0, archive.ErrAuth
	}
	c, err := s.store.NewsComment(ctx, id)
	if err != nil {
		return 0, err
	}
	if c.UserID != u.ID && !u.IsAdmin() {
		return 0, &Refusal{Code: "forbidden", Message: "only the comment's writer or an admin may delete it"}
	}
	if c.UserID == u.ID {
		return c.PostID, s.store.DeleteNewsComment(ctx, id)
	}
	// An admin removing someone else's comment is a moderation act.
	by := c.UserName
	if by == "" {
		by = "a deleted account"
	}
	return c.PostID, s.store.DeleteNewsComment(ctx, id, s.entry(u, archive.AuditDeleteNewsComment, "",
		fmt.Sprintf("a comment by %s on news post %d", by, c.PostID)))
}

// bannerCache keeps the banner a node read for BannerRefresh. One request
// at a time re-reads it; the others show the banner already read meanwhile,
// so a slow database never queues every page behind the banner.
type bannerCache struct {
	mu      sync.Mutex
	banner  archive.Banner
	read    time.Time
	set     time.Time // when this node last set the banner
	reading bool
}

// Banner is the current site banner (Active false when there is none),
// as read at most BannerRefresh ago. A failed read shows the banner last
// read rather than failing the page.
func (s *Site) Banner(ctx context.Context) archive.Banner {
	c := &s.banner
	c.mu.Lock()
	if c.reading || !c.read.IsZero() && time.Since(c.read) < BannerRefresh {
		b := c.banner
		c.mu.Unlock()
		return b
	}
	c.reading = true
	c.mu.Unlock()
	start := time.Now()
	b, err := s.store.Banner(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reading = false
	if err != nil {
		s.Log.Warn("read banner", "err", err)
		return c.banner
	}
	// A banner this node set while the read ran is newer: keep it.
	if !c.set.After(start) {
		c.banner = b
	}
	c.read = time.Now()
	return c.banner
}

// SetBanner sets (or, with blank text, removes) the site banner; admins
// only. The new version shows again to readers who dismissed an older one.
func (s *Site) SetBanner(ctx context.Context, u *archive.User, src, format string) (archive.Banner, error) {
	if err := NewsAdmin(u); err != nil {
		return archive.Banner{}, err
	}
	rich, err := archive.PrepareBanner(src, format)
	if err != nil {
		return archive.Banner{}, err
	}
	e := s.entry(u, archive.AuditSetBanner, "banner", "")
	if rich.IsEmpty() {
		e.Action = archive.AuditRemoveBanner
	} else {
		e.Reason, _ = archive.Clip(strings.TrimSpace(text.PlainText(rich.HTML)), archive.MaxReasonLength)
	}
	b, err := s.store.SetBanner(ctx, rich, s.Now().Truncate(time.Second), e)
	if err != nil {
		return archive.Banner{}, err
	}
	c := &s.banner
	c.mu.Lock()
	c.banner, c.read, c.set = b, time.Now(), time.Now()
	c.mu.Unlock()
	return b, nil
}
