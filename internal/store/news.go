package store

import (
	"context"
	"time"

	"quire/internal/archive"
)

// News holds the archive's news posts, readers' comments on them and the
// site banner. The methods that take audit entries write them in the same
// transaction as the change; an entry with an empty Target is given the
// one named.
type News interface {
	// CreateNewsPost inserts p and sets its ID (audit target: news:ID).
	CreateNewsPost(ctx context.Context, p *archive.NewsPost, audit ...*archive.AuditEntry) error
	// UpdateNewsPost saves p's title, body and update time.
	UpdateNewsPost(ctx context.Context, p *archive.NewsPost, audit ...*archive.AuditEntry) error
	// DeleteNewsPost removes a post with its comments.
	DeleteNewsPost(ctx context.Context, id int64, audit ...*archive.AuditEntry) error
	NewsPost(ctx context.Context, id int64) (*archive.NewsPost, error)
	// NewsPosts lists posts newest first, from offset, at most limit, with
	// how many there are in all.
	NewsPosts(ctx context.Context, offset, limit int) ([]*archive.NewsPost, int, error)

	// CreateNewsComment inserts c and sets its ID.
	CreateNewsComment(ctx context.Context, c *archive.NewsComment) error
	NewsComment(ctx context.Context, id int64) (*archive.NewsComment, error)
	// NewsComments lists a post's comments, oldest first.
	NewsComments(ctx context.Context, postID int64) ([]*archive.NewsComment, error)
	// DeleteNewsComment removes a comment (audit target: news_comment:ID).
	DeleteNewsComment(ctx context.Context, id int64, audit ...*archive.AuditEntry) error
	// NewsCommentTimesSince lists when the account commented on news since
	// a time, oldest first (the rate limit).
	NewsCommentTimesSince(ctx context.Context, userID int64, since time.Time) ([]time.Time, error)

	// Banner is the current banner: the zero Banner when none was ever set.
	Banner(ctx context.Context) (archive.Banner, error)
	// SetBanner replaces the banner's text (an empty Rich removes it) and
	// returns it with its new, higher version (audit target: banner).
	SetBanner(ctx context.Context, text archive.Rich, at time.Time, audit ...*archive.AuditEntry) (archive.Banner, error)
}

// ChapterStamp is a posted chapter's id, work and last change, for the
// sitemap.
type ChapterStamp struct {
	ID        int64
	WorkID    int64
	UpdatedAt time.Time
}

// Sitemaps reads what the sitemap lists beyond the listing index: which
// works are public is the index's answer, posted chapters are the store's.
type Sitemaps interface {
	// PostedChapters lists the posted (not draft) chapters with ids in
	// [from, to], by id.
	PostedChapters(ctx context.Context, from, to int64) ([]ChapterStamp, error)
	// EachPostedChapter calls fn with every posted chapter's id and work,
	// by chapter id.
	EachPostedChapter(ctx context.Context, fn func(id, workID int64) error) error
}

// DumpNewsPost is a news post with its id kept; Post.Author names the
// account ("" once it is gone).
type DumpNewsPost struct {
	Post archive.NewsPost
}

// DumpNewsComment is a comment on a news post with its ids kept;
// Comment.UserName names the account ("" once it is gone).
type DumpNewsComment struct {
	Comment archive.NewsComment
}
