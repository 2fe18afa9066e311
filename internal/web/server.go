// Package web serves Quire's HTML pages: routes, one file per page or
// action, sessions, and the embedded templates and static files. Pages work
// without JavaScript.
package web

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"quire/internal/archive"
	"quire/internal/formats"
	"quire/internal/httperr"
	"quire/internal/ratelimit"
	"quire/internal/site"
)

//go:embed templates/*.html static/*
var assets embed.FS

// Options configures the pages.
type Options struct {
	LoginRateLimit int // failed logins per minute per address and per account (0 = unlimited)
	MaxBody        int64
	ClientIP       func(*http.Request) string
	SecureCookies  bool
	// EPUBImages fetches the remote images a work shows into its EPUB;
	// nil leaves them as alt text with a link. Fixed for the process.
	EPUBImages *formats.ImageFetcher
	// SitemapPerFile caps the URLs of one sitemap file (0: the
	// sitemaps.org limit, site.SitemapPerFile).
	SitemapPerFile int
}

// Server holds what every page needs.
type Server struct {
	site      *site.Site
	opt       Options
	pages     *pages
	loginByIP *ratelimit.Limiter
	loginByID *ratelimit.Limiter
	log       *slog.Logger
	buffers   sync.Pool // *bytes.Buffer, reused by render
	blurbs    *blurbCache
}

const sessionCookie = "quire_session"

type ctxKey int

const userKey ctxKey = 0

// New returns the pages handler, with cross-origin protection on every
// state-changing request.
func New(s *site.Site, opt Options) (http.Handler, error) {
	if opt.MaxBody == 0 {
		opt.MaxBody = 4 << 20
	}
	if opt.ClientIP == nil {
		opt.ClientIP = RemoteIP
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	srv := &Server{site: s, opt: opt, pages: p, log: s.Log, blurbs: &blurbCache{m: map[int64]blurbEntry{}},
		loginByIP: ratelimit.New(opt.LoginRateLimit), loginByID: ratelimit.New(opt.LoginRateLimit)}
	mux := http.NewServeMux()
	srv.routes(mux)
	var h http.Handler = mux
	h = srv.withUser(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = srv.recoverer(h)
	return h, nil
}

func (srv *Server) routes(mux *http.ServeMux) {
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(http.FileServerFS(static))))
	mux.HandleFunc("GET /healthz", srv.healthz)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /{$}", srv.home)
	mux.HandleFunc("GET /works", srv.worksIndex)
	mux.HandleFunc("GET /works/search", srv.worksIndex)
	mux.HandleFunc("GET /works/new", srv.newWorkForm)
	mux.HandleFunc("POST /works", srv.createWork)
	mux.HandleFunc("POST /works/new", srv.createWork)
	mux.HandleFunc("GET /works/import", srv.importPage)
	mux.HandleFunc("POST /works/import", srv.importWorks)
	mux.HandleFunc("GET /works/{id}", srv.showWork)
	mux.HandleFunc("GET /works/{id}/chapters/{cid}", srv.showChapter)
	mux.HandleFunc("POST /works/{id}/kudos", srv.giveKudos)
	mux.HandleFunc("POST /works/{id}/chapters/{cid}/comments", srv.postComment)
	mux.HandleFunc("POST /comments/{id}/edit", srv.editComment)
	mux.HandleFunc("POST /comments/{id}/delete", srv.commentAction(deleteCommentOp))
	mux.HandleFunc("POST /comments/{id}/approve", srv.commentAction(approveCommentOp))
	mux.HandleFunc("POST /comments/{id}/freeze", srv.commentAction(freezeCommentOp))
	mux.HandleFunc("POST /comments/{id}/unfreeze", srv.commentAction(unfreezeCommentOp))
	mux.HandleFunc("GET /works/{id}/edit", srv.editWorkForm)
	mux.HandleFunc("POST /works/{id}/edit", srv.updateWork)
	mux.HandleFunc("POST /works/{id}/post", srv.postDraft)
	mux.HandleFunc("GET /works/{id}/delete", srv.confirmDeleteWork)
	mux.HandleFunc("POST /works/{id}/delete", srv.deleteWork)
	mux.HandleFunc("GET /works/{id}/chapters/new", srv.newChapterForm)
	mux.HandleFunc("POST /works/{id}/chapters/new", srv.createChapter)
	mux.HandleFunc("GET /works/{id}/chapters/{cid}/edit", srv.editChapterForm)
	mux.HandleFunc("POST /works/{id}/chapters/{cid}/edit", srv.updateChapter)
	mux.HandleFunc("POST /works/{id}/chapters/{cid}/delete", srv.deleteChapter)
	mux.HandleFunc("GET /works/{id}/chapters/order", srv.orderChaptersForm)
	mux.HandleFunc("POST /works/{id}/chapters/order", srv.orderChapters)
	mux.HandleFunc("GET /tags/unwrangled", srv.unwrangledTags)
	mux.HandleFunc("GET /tags/{name}", srv.showTag)
	mux.HandleFunc("GET /tags/{name}/edit", srv.editTagForm)
	mux.HandleFunc("POST /tags/{name}/edit", srv.updateTag)
	mux.HandleFunc("GET /tags/{name}/works", srv.tagWorks)
	mux.HandleFunc("GET /tags/{name}/feed.atom", srv.tagFeed)
	mux.HandleFunc("GET /users/{name}/feed.atom", srv.userFeed)
	mux.HandleFunc("GET /works/{id}/feed.atom", srv.workFeed)
	mux.HandleFunc("GET /series/{id}/feed.atom", srv.seriesFeed)
	mux.Handle("GET /downloads/{id}/{file}", srv.downloads())
	mux.HandleFunc("GET /users/{name}", srv.showUser)
	mux.HandleFunc("GET /users/{name}/works", srv.userWorks)
	mux.HandleFunc("GET /users/{name}/drafts", srv.userDrafts)
	mux.HandleFunc("GET /users/{name}/readings", srv.readings)
	mux.HandleFunc("GET /users/{name}/stats", srv.stats)
	mux.HandleFunc("POST /users/{name}/readings", srv.changeReadings)
	mux.HandleFunc("POST /works/{id}/mark_for_later", srv.markForLater)
	mux.HandleFunc("GET /users/{name}/bookmarks", srv.userBookmarks)
	mux.HandleFunc("GET /users/{name}/pseuds", srv.showPseuds)
	mux.HandleFunc("POST /users/{name}/pseuds", srv.createPseud)
	mux.HandleFunc("GET /users/{name}/pseuds/{pseud}", srv.pseudWorks)
	mux.HandleFunc("POST /users/{name}/pseuds/{pseud}/edit", srv.renamePseud)
	mux.HandleFunc("POST /users/{name}/pseuds/{pseud}/delete", srv.deletePseud)
	mux.HandleFunc("GET /series/new", srv.newSeriesForm)
	mux.HandleFunc("POST /series", srv.createSeries)
	mux.HandleFunc("GET /series/{id}", srv.showSeries)
	mux.HandleFunc("GET /series/{id}/edit", srv.editSeriesForm)
	mux.HandleFunc("POST /series/{id}/edit", srv.updateSeries)
	mux.HandleFunc("POST /series/{id}/delete", srv.deleteSeries)
	mux.HandleFunc("POST /series/{id}/works", srv.addSeriesWork)
	mux.HandleFunc("POST /series/{id}/works/{work_id}/delete", srv.removeSeriesWork)
	mux.HandleFunc("GET /series/{id}/bookmarks/new", srv.newSeriesBookmarkForm)
	mux.HandleFunc("POST /series/{id}/bookmarks", srv.createSeriesBookmark)
	mux.HandleFunc("GET /works/{id}/bookmarks/new", srv.newBookmarkForm)
	mux.HandleFunc("POST /works/{id}/bookmarks", srv.createBookmark)
	mux.HandleFunc("GET /bookmarks/{id}/edit", srv.editBookmarkForm)
	mux.HandleFunc("POST /bookmarks/{id}/edit", srv.updateBookmark)
	mux.HandleFunc("POST /bookmarks/{id}/delete", srv.deleteBookmark)
	mux.HandleFunc("GET /signup", srv.signupForm)
	mux.HandleFunc("POST /signup", srv.signup)
	mux.HandleFunc("GET /login", srv.loginForm)
	mux.HandleFunc("POST /login", srv.login)
	mux.HandleFunc("POST /logout", srv.logout)
	mux.HandleFunc("GET /logout", srv.logoutForm)
	mux.HandleFunc("GET /password_reset", srv.passwordResetForm)
	mux.HandleFunc("POST /password_reset", srv.passwordReset)
	mux.HandleFunc("GET /account", srv.accountForm)
	mux.HandleFunc("POST /account/password", srv.changePassword)
	mux.HandleFunc("POST /account/email", srv.changeEmail)
	mux.HandleFunc("POST /account/delete", srv.deleteAccount)
	mux.HandleFunc("GET /account/preferences", srv.preferencesForm)
	mux.HandleFunc("POST /account/preferences", srv.savePreferences)
	mux.HandleFunc("GET /account/mutes", srv.mutesForm)
	mux.HandleFunc("POST /account/mutes", srv.saveMutes)
	mux.HandleFunc("POST /account/feed_token", srv.newFeedToken)
	mux.HandleFunc("GET /invite_requests", srv.inviteRequestForm)
	mux.HandleFunc("POST /invite_requests", srv.requestInvitation)
	mux.HandleFunc("GET /verify_email", srv.verifyEmailForm)
	mux.HandleFunc("POST /verify_email", srv.verifyEmail)
	mux.HandleFunc("POST /account/verification", srv.resendVerification)
	mux.HandleFunc("GET /users/{name}/invitations", srv.userInvitations)
	mux.HandleFunc("POST /users/{name}/invitations", srv.sendUserInvitation)
	mux.HandleFunc("GET /admin/settings", srv.adminPage(archive.RoleAdmin, srv.settingsForm))
	mux.HandleFunc("POST /admin/settings", srv.adminPage(archive.RoleAdmin, srv.saveSettings))
	mux.HandleFunc("GET /admin/invitations", srv.adminPage(archive.RoleAdmin, srv.invitationsPage))
	mux.HandleFunc("POST /admin/invitations", srv.adminPage(archive.RoleAdmin, srv.sendInvitations))
	mux.HandleFunc("POST /admin/invitations/give", srv.adminPage(archive.RoleAdmin, srv.giveInvitations))
	mux.HandleFunc("GET /admin/review", srv.adminPage(archive.RoleModerator, srv.reviewQueue))
	mux.HandleFunc("POST /admin/review/{id}/approve", srv.adminPage(archive.RoleModerator, srv.approveWork))
	mux.HandleFunc("POST /subscriptions", srv.subscribe)
	mux.HandleFunc("POST /subscriptions/delete", srv.unsubscribe)
	mux.HandleFunc("GET /unsubscribe/{token}", srv.unsubscribeForm)
	mux.HandleFunc("POST /unsubscribe/{token}", srv.unsubscribeByToken)
	mux.HandleFunc("GET /inbox", srv.showInbox)
	mux.HandleFunc("POST /inbox", srv.updateInbox)
	mux.HandleFunc("GET /reports/new", srv.newReportForm)
	mux.HandleFunc("POST /reports", srv.createReport)
	mux.HandleFunc("GET /admin/reports", srv.reportsQueue)
	mux.HandleFunc("POST /admin/reports", srv.closeReportsOf)
	mux.HandleFunc("POST /admin/reports/{id}", srv.updateReport)
	// admin.go: the moderators' pages and forms.
	srv.adminRoutes(mux)
	srv.newsRoutes(mux)                       // news.go: news and the site banner
	srv.robotsRoutes(mux)                     // robots.go: robots.txt and the sitemap
	mux.HandleFunc("/", srv.legacyOrNotFound) // redirects.go: an imported archive's old URLs
}

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// RemoteIP is the host part of r.RemoteAddr.
func RemoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// withUser resolves the session cookie to a user for every request.
func (srv *Server) withUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("X-Frame-Options", "DENY")
		// Author HTML never runs script: no inline script is allowed at all.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' http: https:; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			u, err := srv.site.SessionUser(r.Context(), c.Value)
			if err == nil {
				r = r.WithContext(context.WithValue(r.Context(), userKey, u))
			} else if errors.Is(err, archive.ErrNotFound) {
				srv.clearSession(w)
			}
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, srv.opt.MaxBody)
			if err := srv.site.CheckWrite(currentUser(r)); err != nil && !writeAllowedWhileSuspended(r.URL.Path) {
				srv.fail(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (srv *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil && v != http.ErrAbortHandler {
				srv.log.Error("panic in page handler", "path", r.URL.Path, "panic", v)
				http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// currentUser is the logged-in user, or nil.
func currentUser(r *http.Request) *archive.User {
	u, _ := r.Context().Value(userKey).(*archive.User)
	return u
}

func (srv *Server) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: srv.opt.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(site.SessionLifetime / time.Second)})
}

func (srv *Server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: srv.opt.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func (srv *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := srv.site.Ping(ctx); err != nil {
		http.Error(w, "database: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (srv *Server) notFound(w http.ResponseWriter, r *http.Request) {
	srv.fail(w, r, archive.ErrNotFound)
}

// fail renders an error page with the status the error maps to.
func (srv *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	c := httperr.Classify(err)
	if c.Status == http.StatusUnauthorized && errors.Is(err, archive.ErrAuth) {
		http.Redirect(w, r, "/login?return_to="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if c.Status >= 500 {
		srv.log.Error("page error", "path", r.URL.Path, "err", err)
	}
	if secs := c.RetrySeconds(); secs > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	title, msg := http.StatusText(c.Status), sentence(c.Message)
	explained := httperr.Explained(err)
	switch c.Status {
	case http.StatusNotFound:
		if !explained {
			msg = "We couldn't find that page. It may have been deleted, or you may not have permission to see it."
		}
	case http.StatusForbidden:
		if !explained {
			msg = "Sorry, you don't have permission to do that."
		}
	case http.StatusTooManyRequests:
		title = "Slow down"
	case http.StatusUnprocessableEntity:
		title = "Please check what you sent"
		if ve := (*archive.ValidationError)(nil); errors.As(err, &ve) {
			msg = sentence(humanField(ve))
		}
	}
	srv.render(w, r, c.Status, "error", pageData{Title: title, P: msg})
}
