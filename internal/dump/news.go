package dump

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"quire/internal/archive"
	"quire/internal/store"
)

// The archive's news: posts by id, then their comments by id, after the
// redirects.
//
//	{"type":"admin_post","id","title","author" (null: the account is gone),
//	 "body","body_source","body_format","created_at","updated_at"}
//	{"type":"admin_post_comment","id","post_id","user" (null: the account is gone),
//	 "body","body_source","body_format","created_at"}

type newsPostLine struct {
	Type       string  `json:"type"`
	ID         int64   `json:"id"`
	Title      string  `json:"title"`
	Author     *string `json:"author"`
	Body       string  `json:"body"`
	BodySource string  `json:"body_source"`
	BodyFormat string  `json:"body_format"`
	CreatedAt  string  `json:"created_at"`
	UpdatedAt  string  `json:"updated_at"`
}

type newsCommentLine struct {
	Type       string  `json:"type"`
	ID         int64   `json:"id"`
	PostID     int64   `json:"post_id"`
	User       *string `json:"user"`
	Body       string  `json:"body"`
	BodySource string  `json:"body_source"`
	BodyFormat string  `json:"body_format"`
	CreatedAt  string  `json:"created_at"`
}

func nameOrNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func newsPostToLine(dp *store.DumpNewsPost) newsPostLine {
	p := &dp.Post
	return newsPostLine{Type: "admin_post", ID: p.ID, Title: p.Title, Author: nameOrNull(p.Author), Body: p.Body.HTML,
		BodySource: p.Body.Source, BodyFormat: format(p.Body.Format), CreatedAt: ts(p.CreatedAt), UpdatedAt: ts(p.UpdatedAt)}
}

func newsCommentToLine(dc *store.DumpNewsComment) newsCommentLine {
	c := &dc.Comment
	return newsCommentLine{Type: "admin_post_comment", ID: c.ID, PostID: c.PostID, User: nameOrNull(c.UserName), Body: c.Body.HTML,
		BodySource: c.Body.Source, BodyFormat: format(c.Body.Format), CreatedAt: ts(c.CreatedAt)}
}

// newsKey names a news record for the check that none appears twice.
type newsKey struct {
	kind string
	id   int64
}

func (im *importer) once(kind string, id int64) error {
	if im.news == nil {
		im.news = map[newsKey]int{}
	}
	k := newsKey{kind, id}
	if first, ok := im.news[k]; ok {
		return fmt.Errorf("%s %d appears twice in the file (first on line %d)", kind, id, first)
	}
	im.news[k] = im.line
	return nil
}

func (im *importer) newsPost(l newsPostLine) (*store.DumpNewsPost, error) {
	if l.ID <= 0 {
		return nil, errors.New("a news post needs a positive id")
	}
	if err := im.once("news post", l.ID); err != nil {
		return nil, err
	}
	fail := func(err error) (*store.DumpNewsPost, error) {
		return nil, fmt.Errorf("news post %d: %v", l.ID, err)
	}
	src, f := source(l.BodySource, l.BodyFormat, l.Body)
	title, body, err := archive.PrepareNewsPost(l.Title, src, string(f))
	if err != nil {
		return fail(err)
	}
	p := archive.NewsPost{ID: l.ID, Title: title, Body: body}
	if l.Author != nil {
		p.Author = strings.TrimSpace(*l.Author)
	}
	if p.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return fail(err)
	}
	if p.UpdatedAt, err = im.parseTime("updated_at", l.UpdatedAt, true); err != nil {
		return fail(err)
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = p.CreatedAt
	}
	return &store.DumpNewsPost{Post: p}, nil
}

func (im *importer) newsComment(l newsCommentLine) (*store.DumpNewsComment, error) {
	if l.ID <= 0 {
		return nil, errors.New("a news comment needs a positive id")
	}
	if err := im.once("news comment", l.ID); err != nil {
		return nil, err
	}
	fail := func(err error) (*store.DumpNewsComment, error) {
		return nil, fmt.Errorf("news comment %d: %v", l.ID, err)
	}
	if l.PostID <= 0 {
		return fail(errors.New("post_id: a news comment needs the id of its post"))
	}
	c := archive.NewsComment{ID: l.ID, PostID: l.PostID}
	var err error
	if c.Body, err = commentBody(l.BodySource, l.BodyFormat, l.Body); err != nil {
		return fail(err)
	}
	if c.Body.HTML == "" {
		return fail(errors.New("body: can't be blank"))
	}
	if l.User != nil {
		c.UserName = strings.TrimSpace(*l.User)
	}
	if c.CreatedAt, err = im.createdAt(l.CreatedAt); err != nil {
		return fail(err)
	}
	return &store.DumpNewsComment{Comment: c}, nil
}

// putNews reads a news line; ok is false for another type.
func (im *importer) putNews(ctx context.Context, w store.DumpWriter, kind string, raw []byte) (ok bool, err error) {
	switch kind {
	case "admin_post":
		var l newsPostLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		p, err := im.newsPost(l)
		if err != nil {
			return true, err
		}
		return true, w.PutNewsPost(ctx, p)
	case "admin_post_comment":
		var l newsCommentLine
		if err := strict(raw, &l); err != nil {
			return true, err
		}
		c, err := im.newsComment(l)
		if err != nil {
			return true, err
		}
		return true, w.PutNewsComment(ctx, c)
	}
	return false, nil
}
