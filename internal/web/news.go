package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"quire/internal/archive"
	"quire/internal/formats"
	"quire/internal/site"
)

// The archive's news (AO3's admin posts): everyone reads /admin_posts and
// its feed, logged-in readers comment, admins post, edit and delete.

func (srv *Server) newsRoutes(mux router) {
	// The admins' forms answer a guest with the log-in form (401) and a
	// reader with 403, as every staff page does.
	admin := func(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
		return srv.staffRole(archive.RoleAdmin, srv.page(h))
	}
	mux.HandleFunc("GET /admin_posts", srv.page(srv.newsIndex))
	mux.HandleFunc("POST /admin_posts", admin(srv.createNews))
	mux.HandleFunc("GET /admin_posts/new", admin(srv.newNewsForm))
	mux.HandleFunc("GET /admin_posts/feed.atom", srv.page(srv.newsFeed))
	mux.HandleFunc("GET /admin_posts/{id}", srv.page(srv.showNews))
	mux.HandleFunc("GET /admin_posts/{id}/edit", admin(srv.editNewsForm))
	mux.HandleFunc("POST /admin_posts/{id}/edit", admin(srv.updateNews))
	mux.HandleFunc("POST /admin_posts/{id}/delete", admin(srv.deleteNews))
	mux.HandleFunc("POST /admin_posts/{id}/comments", srv.page(srv.commentOnNews))
	mux.HandleFunc("POST /admin_post_comments/{id}/delete", srv.page(srv.deleteNewsComment))
	mux.HandleFunc("GET /admin/banner", admin(srv.bannerAdmin))
	mux.HandleFunc("POST /admin/banner", admin(srv.setBanner))
	mux.HandleFunc("POST /banner/dismiss", srv.page(srv.dismissBanner))
	mux.HandleFunc("POST /locale", srv.page(srv.setLocale))
}

// homeNews is how many of the latest news posts the front page shows.
const homeNews = 2

// homePage is the front page: recent works and the latest news.
type homePage struct {
	*site.Listing
	News []*archive.NewsPost
}

// newsIndexPage is one page of news posts.
type newsIndexPage struct {
	Posts    []*archive.NewsPost
	Page     int
	LastPage int
	CanPost  bool
}

// URL links to another page of the list.
func (p *newsIndexPage) URL(page int) string { return "/admin_posts?page=" + strconv.Itoa(page) }

// newsPostPage is one post with its comments.
type newsPostPage struct {
	Post     *archive.NewsPost
	Comments []*site.NewsCommentView
	CanEdit  bool
}

// newsForm is the new/edit form's values.
type newsForm struct {
	ID     int64
	Edit   bool
	Title  string
	Body   string
	Format string
}

// adminOnly marks a page no shared cache may keep.
func adminOnly(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "private, no-store")
}

func (srv *Server) newsIndex(w http.ResponseWriter, r *http.Request) error {
	page, err := site.PageParam("page", r.URL.Query().Get("page"))
	if err != nil {
		return err
	}
	page = max(page, 1)
	posts, total, err := srv.site.NewsPage(r.Context(), page)
	if err != nil {
		return err
	}
	p := &newsIndexPage{Posts: posts, Page: page, LastPage: max(1, (total+site.NewsPerPage-1)/site.NewsPerPage)}
	if page > p.LastPage {
		return archive.ErrNotFound
	}
	u := currentUser(r)
	p.CanPost = u != nil && u.IsAdmin()
	srv.render(w, r, http.StatusOK, "news_index", pageData{Title: "News", P: p})
	return nil
}

func (srv *Server) showNews(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u := currentUser(r)
	post, err := srv.site.NewsPost(r.Context(), id)
	if err != nil {
		return err
	}
	comments, err := srv.site.NewsComments(r.Context(), u, id)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "news_post", pageData{Title: post.Title,
		P: &newsPostPage{Post: post, Comments: comments, CanEdit: u != nil && u.IsAdmin()}})
	return nil
}

// newsAdmin answers for a guest (log in) or a non-admin (403) and reports
// whether the request may go on.
func (srv *Server) newsAdmin(w http.ResponseWriter, r *http.Request) (*archive.User, error) {
	adminOnly(w)
	u := currentUser(r)
	if u == nil {
		return nil, archive.ErrAuth
	}
	if !u.IsAdmin() {
		return nil, archive.ErrForbidden
	}
	return u, nil
}

func (srv *Server) newNewsForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := srv.newsAdmin(w, r); err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "news_form", pageData{Title: "New news post", P: &newsForm{Format: "html"}})
	return nil
}

func (srv *Server) createNews(w http.ResponseWriter, r *http.Request) error {
	u, err := srv.newsAdmin(w, r)
	if err != nil {
		return err
	}
	f := &newsForm{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Format: string(formatOf(r.PostFormValue("format")))}
	post, err := srv.site.PostNews(r.Context(), u, site.NewsInput{Title: f.Title, Body: f.Body, Format: f.Format})
	if err != nil {
		return srv.invalid(w, r, err, "news_form", "New news post", f)
	}
	http.Redirect(w, r, "/admin_posts/"+strconv.FormatInt(post.ID, 10), http.StatusSeeOther)
	return nil
}

func (srv *Server) editNewsForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := srv.newsAdmin(w, r); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	post, err := srv.site.NewsPost(r.Context(), id)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "news_form", pageData{Title: "Edit news post",
		P: &newsForm{ID: id, Edit: true, Title: post.Title, Body: post.Body.Source, Format: string(post.Body.Format)}})
	return nil
}

func (srv *Server) updateNews(w http.ResponseWriter, r *http.Request) error {
	u, err := srv.newsAdmin(w, r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := &newsForm{ID: id, Edit: true, Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Format: string(formatOf(r.PostFormValue("format")))}
	if _, err := srv.site.EditNews(r.Context(), u, id, site.NewsInput{Title: f.Title, Body: f.Body, Format: f.Format}); err != nil {
		return srv.invalid(w, r, err, "news_form", "Edit news post", f)
	}
	http.Redirect(w, r, "/admin_posts/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (srv *Server) deleteNews(w http.ResponseWriter, r *http.Request) error {
	u, err := srv.newsAdmin(w, r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := srv.site.DeleteNews(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin_posts", http.StatusSeeOther)
	return nil
}

func (srv *Server) commentOnNews(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := srv.site.CommentOnNews(r.Context(), currentUser(r), id, r.PostFormValue("body"), r.PostFormValue("format"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin_posts/%d#comment-%d", id, c.ID), http.StatusSeeOther)
	return nil
}

func (srv *Server) deleteNewsComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	post, err := srv.site.DeleteNewsComment(r.Context(), currentUser(r), id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin_posts/%d#comments", post), http.StatusSeeOther)
	return nil
}

// newsFeed is the Atom feed of the newest posts.
func (srv *Server) newsFeed(w http.ResponseWriter, r *http.Request) error {
	posts, err := srv.site.LatestNews(r.Context(), feedEntries)
	if err != nil {
		return err
	}
	f := formats.Feed{
		ID:      formats.NameUUID(srv.site.Name + "/admin_posts/feed"),
		Title:   srv.site.Name + ": news",
		SelfURL: srv.absURL("/admin_posts/feed.atom"),
		AltURL:  srv.absURL("/admin_posts"),
	}
	for _, p := range posts {
		path := "/admin_posts/" + strconv.FormatInt(p.ID, 10)
		e := formats.Entry{
			ID:          formats.NameUUID(srv.site.Name + path),
			Title:       p.Title,
			Updated:     later(p.UpdatedAt, p.CreatedAt),
			Published:   p.CreatedAt,
			Link:        srv.absURL(path),
			SummaryHTML: p.Body.HTML,
		}
		if p.Author != "" {
			e.Authors = []formats.Person{{Name: p.Author, URI: srv.absURL("/users/" + url.PathEscape(p.Author))}}
		}
		f.Entries = append(f.Entries, e)
	}
	return srv.writeFeed(w, r, f)
}
