package api

import (
	"net/http"
	"strconv"

	"quire/internal/archive"
	"quire/internal/site"
)

// The archive's news and site banner, for admins: POST /api/v1/admin/posts,
// PATCH|DELETE /api/v1/admin/posts/{id}, GET|PUT /api/v1/admin/banner.
// Every one is 401 without a token and 403 for anyone but an admin, before
// the body is read.

type newsBody struct {
	Title  *string `json:"title"`
	Body   *string `json:"body"`
	Format *string `json:"format"`
}

type newsJSON struct {
	ID           int64   `json:"id"`
	Title        string  `json:"title"`
	Body         string  `json:"body"`
	BodySource   string  `json:"body_source"`
	BodyFormat   string  `json:"body_format"`
	Author       *string `json:"author"`
	Comments     int     `json:"comments"`
	CreatedAt    *string `json:"created_at"`
	UpdatedAt    *string `json:"updated_at"`
	URL          string  `json:"url"`
	CommentsPath string  `json:"comments_url"`
}

func toNewsJSON(p *archive.NewsPost) newsJSON {
	path := "/admin_posts/" + strconv.FormatInt(p.ID, 10)
	j := newsJSON{ID: p.ID, Title: p.Title, Body: p.Body.HTML, BodySource: p.Body.Source, BodyFormat: string(p.Body.Format),
		Comments: p.Comments, CreatedAt: timestamp(p.CreatedAt), UpdatedAt: timestamp(p.UpdatedAt), URL: path, CommentsPath: path + "#comments"}
	if p.Author != "" {
		a := p.Author
		j.Author = &a
	}
	return j
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// POST /api/v1/admin/posts {"title","body","format"} → 201 with the post.
func (a *server) createNews(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := site.NewsAdmin(u); err != nil {
		return err
	}
	var b newsBody
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	p, err := a.site.PostNews(r.Context(), u, site.NewsInput{Title: deref(b.Title), Body: deref(b.Body), Format: deref(b.Format)})
	if err != nil {
		return err
	}
	w.Header().Set("Location", toNewsJSON(p).URL)
	writeJSON(w, http.StatusCreated, toNewsJSON(p))
	return nil
}

// PATCH /api/v1/admin/posts/{id}: the fields sent change.
func (a *server) editNews(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := site.NewsAdmin(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b newsBody
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	old, err := a.site.NewsPost(r.Context(), id)
	if err != nil {
		return err
	}
	in := site.NewsInput{Title: old.Title, Body: old.Body.Source, Format: string(old.Body.Format)}
	if b.Title != nil {
		in.Title = *b.Title
	}
	if b.Body != nil {
		in.Body = *b.Body
	}
	if b.Format != nil {
		in.Format = *b.Format
	}
	p, err := a.site.EditNews(r.Context(), u, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toNewsJSON(p))
	return nil
}

// DELETE /api/v1/admin/posts/{id} → 204.
func (a *server) deleteNews(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := site.NewsAdmin(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.site.DeleteNews(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type bannerBody struct {
	Text   *string `json:"text"`
	Format *string `json:"format"`
}

type bannerJSON struct {
	Active     bool    `json:"active"`
	Version    int64   `json:"version"`
	Text       string  `json:"text"`
	TextSource string  `json:"text_source"`
	TextFormat string  `json:"text_format"`
	UpdatedAt  *string `json:"updated_at"`
}

func toBannerJSON(b archive.Banner) bannerJSON {
	f := string(b.Text.Format)
	if f == "" {
		f = string(archive.FormatHTML)
	}
	return bannerJSON{Active: b.Active(), Version: b.Version, Text: b.Text.HTML, TextSource: b.Text.Source, TextFormat: f, UpdatedAt: timestamp(b.UpdatedAt)}
}

// GET /api/v1/admin/banner
func (a *server) getBanner(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := site.NewsAdmin(u); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toBannerJSON(a.site.Banner(r.Context())))
	return nil
}

// PUT /api/v1/admin/banner {"text","format"}: empty text removes it.
func (a *server) setBanner(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := site.NewsAdmin(u); err != nil {
		return err
	}
	var b bannerBody
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	if b.Text == nil {
		return archive.Invalid("text", "is missing; send \"\" to remove the banner")
	}
	banner, err := a.site.SetBanner(r.Context(), u, *b.Text, deref(b.Format))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toBannerJSON(banner))
	return nil
}
