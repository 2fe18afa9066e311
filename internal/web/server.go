// Package web serves Quire's HTML pages, sessions, and the embedded
// templates and static files. Pages work without JavaScript.
//
// One file per area of the archive — a page and the forms that act on it
// (work.go reads a work, posting.go posts and edits one, chapters.go,
// comments.go, kudos.go, bookmarks.go, series.go, tags.go, admin.go …);
// server.go holds the routes, the middleware and the two adapters every
// handler goes through: page, for a handler that returns its error, and
// loggedIn, which also sends guests to log in and hands the handler its
// user. An error becomes the error page through httperr.Classify, the one
// map the API shares. Handlers read and write only through site.Site,
// which makes every permission decision.
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
	"quire/internal/formats/kindle"
	"quire/internal/formats/pdf"
	"quire/internal/httperr"
	"quire/internal/i18n"
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
	// PDF prints the PDF downloads; nil offers none.
	PDF *pdf.Printer
	// Kindle converts the AZW3 downloads; nil (calibre not installed)
	// offers none.
	Kindle *kindle.Converter
	// SitemapPerFile caps the URLs of one sitemap file (0: the
	// sitemaps.org limit, site.SitemapPerFile).
	SitemapPerFile int
	// Locales are the interface's languages; nil is the shipped catalogs
	// with English the default.
	Locales *i18n.Catalog
}

// Server holds what every page needs.
type Server struct {
	site       *site.Site
	opt        Options
	pages      *pages
	loginByIP  *ratelimit.Limiter
	loginByID  *ratelimit.Limiter
	log        *slog.Logger
	buffers    sync.Pool // *bytes.Buffer, reused by render
	locales    *i18n.Catalog
	blurbMu    sync.Mutex
	blurbs     map[string]*blurbCache // by reader key (locale.go)
	switchOnce sync.Once
	switches   map[*i18n.Locale][]localeOption
	fragments  fragmentCache // parts of work pages (fragments.go)
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
	if opt.Locales == nil {
		l, err := i18n.Load("", "")
		if err != nil {
			return nil, err
		}
		opt.Locales = l
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	srv := &Server{site: s, opt: opt, pages: p, log: s.Log, blurbs: map[string]*blurbCache{}, locales: opt.Locales,
		loginByIP: ratelimit.New(opt.LoginRateLimit), loginByID: ratelimit.New(opt.LoginRateLimit)}
	mux := http.NewServeMux()
	srv.routes(mux)
	var h http.Handler = srv.formerNames(mux)
	h = srv.withUser(h)
	cop := http.NewCrossOriginProtection()
	// The one-click unsubscribe POST (RFC 8058) comes from a mail client,
	// perhaps a webmail page on another origin; its signed token, not a
	// cookie, is what allows it, so a cross-site POST can do nothing a
	// GET of the link could not lead to.
	cop.AddInsecureBypassPattern("POST /unsubscribe/digest/{token}")
	h = cop.Handler(h)
	h = srv.recoverer(h)
	return h, nil
}

// router is where routes are registered: the ServeMux, or a test's list
// of every pattern.
type router interface {
	Handle(pattern string, h http.Handler)
	HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request))
}

func (srv *Server) routes(mux router) {
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(http.FileServerFS(static))))
	mux.HandleFunc("GET /healthz", srv.page(srv.healthz))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /{$}", srv.page(srv.home))
	mux.HandleFunc("GET /works", srv.page(srv.worksIndex))
	mux.HandleFunc("GET /media", srv.page(srv.media))
	mux.HandleFunc("GET /people/search", srv.page(srv.peopleSearch))
	mux.HandleFunc("GET /tags/search", srv.page(srv.tagsSearch))
	mux.HandleFunc("GET /media/{name}/fandoms", srv.page(srv.mediumFandoms))
	mux.HandleFunc("GET /works/search", srv.page(srv.worksIndex))
	mux.HandleFunc("GET /works/new", srv.loggedIn(srv.newWorkForm))
	mux.HandleFunc("POST /works", srv.loggedIn(srv.createWork))
	mux.HandleFunc("POST /works/new", srv.loggedIn(srv.createWork))
	mux.HandleFunc("GET /works/import", srv.loggedIn(srv.importPage))
	mux.HandleFunc("POST /works/import", srv.loggedIn(srv.importWorks))
	mux.HandleFunc("GET /works/{id}", srv.page(srv.showWork))
	mux.HandleFunc("GET /works/{id}/chapters/{cid}", srv.page(srv.showChapter))
	mux.HandleFunc("POST /works/{id}/kudos", srv.page(srv.giveKudos))
	mux.HandleFunc("POST /works/{id}/chapters/{cid}/comments", srv.page(srv.postComment))
	mux.HandleFunc("POST /comments/{id}/edit", srv.page(srv.editComment))
	mux.HandleFunc("POST /comments/{id}/delete", srv.page(srv.commentAction(deleteCommentOp)))
	mux.HandleFunc("POST /comments/{id}/approve", srv.page(srv.commentAction(approveCommentOp)))
	mux.HandleFunc("POST /comments/{id}/freeze", srv.page(srv.commentAction(freezeCommentOp)))
	mux.HandleFunc("POST /comments/{id}/unfreeze", srv.page(srv.commentAction(unfreezeCommentOp)))
	mux.HandleFunc("GET /works/{id}/edit", srv.page(srv.editWorkForm))
	mux.HandleFunc("POST /works/{id}/edit", srv.page(srv.updateWork))
	mux.HandleFunc("POST /works/{id}/post", srv.page(srv.postDraft))
	mux.HandleFunc("GET /works/{id}/delete", srv.page(srv.confirmDeleteWork))
	mux.HandleFunc("POST /works/{id}/delete", srv.page(srv.deleteWork))
	mux.HandleFunc("GET /works/{id}/chapters/new", srv.page(srv.newChapterForm))
	mux.HandleFunc("POST /works/{id}/chapters/new", srv.page(srv.createChapter))
	mux.HandleFunc("GET /works/{id}/chapters/{cid}/edit", srv.page(srv.editChapterForm))
	mux.HandleFunc("POST /works/{id}/chapters/{cid}/edit", srv.page(srv.updateChapter))
	mux.HandleFunc("POST /works/{id}/chapters/{cid}/delete", srv.page(srv.deleteChapter))
	mux.HandleFunc("GET /works/{id}/chapters/order", srv.page(srv.orderChaptersForm))
	mux.HandleFunc("POST /works/{id}/chapters/order", srv.page(srv.orderChapters))
	mux.HandleFunc("GET /tags/unwrangled", srv.loggedIn(srv.unwrangledTags))
	mux.HandleFunc("GET /tags/{name}", srv.page(srv.showTag))
	mux.HandleFunc("GET /tags/{name}/edit", srv.page(srv.editTagForm))
	mux.HandleFunc("POST /tags/{name}/edit", srv.page(srv.updateTag))
	mux.HandleFunc("GET /tags/{name}/works", srv.page(srv.tagWorks))
	mux.HandleFunc("GET /tags/{name}/feed.atom", srv.page(srv.tagFeed))
	mux.HandleFunc("GET /users/{name}/feed.atom", srv.page(srv.userFeed))
	mux.HandleFunc("GET /works/{id}/feed.atom", srv.page(srv.workFeed))
	mux.HandleFunc("GET /series/{id}/feed.atom", srv.page(srv.seriesFeed))
	mux.Handle("GET /downloads/{id}/{file}", srv.downloads())
	mux.HandleFunc("GET /users/{name}", srv.page(srv.showUser))
	mux.HandleFunc("GET /users/{name}/works", srv.page(srv.userWorks))
	mux.HandleFunc("GET /users/{name}/drafts", srv.loggedIn(srv.userDrafts))
	mux.HandleFunc("GET /users/{name}/readings", srv.loggedIn(srv.readings))
	mux.HandleFunc("GET /users/{name}/stats", srv.loggedIn(srv.stats))
	mux.HandleFunc("POST /users/{name}/readings", srv.loggedIn(srv.changeReadings))
	mux.HandleFunc("POST /works/{id}/mark_for_later", srv.loggedIn(srv.markForLater))
	mux.HandleFunc("POST /account/hidden", srv.loggedIn(srv.hideWork))
	mux.HandleFunc("POST /account/hidden/{id}/delete", srv.loggedIn(srv.unhideWork))
	mux.HandleFunc("GET /account/hidden", srv.loggedIn(srv.hiddenWorks))
	mux.HandleFunc("GET /account/searches", srv.loggedIn(srv.savedSearchesPage))
	mux.HandleFunc("POST /account/searches", srv.loggedIn(srv.saveSearch))
	mux.HandleFunc("POST /account/searches/{id}/edit", srv.loggedIn(srv.updateSavedSearch))
	mux.HandleFunc("POST /account/searches/{id}/delete", srv.loggedIn(srv.deleteSavedSearch))
	mux.HandleFunc("POST /account/searches/{id}/token", srv.loggedIn(srv.newSavedSearchToken))
	mux.HandleFunc("GET /searches/{token}/feed.atom", srv.page(srv.savedSearchFeed))
	mux.HandleFunc("GET /users/{name}/bookmarks", srv.page(srv.userBookmarks))
	mux.HandleFunc("GET /bookmarks", srv.page(srv.bookmarksIndex))
	mux.HandleFunc("GET /tags/{name}/bookmarks", srv.page(srv.tagBookmarks))
	mux.HandleFunc("GET /users/{name}/pseuds", srv.page(srv.showPseuds))
	mux.HandleFunc("POST /users/{name}/pseuds", srv.page(srv.createPseud))
	mux.HandleFunc("GET /users/{name}/pseuds/{pseud}", srv.page(srv.pseudWorks))
	mux.HandleFunc("POST /users/{name}/pseuds/{pseud}/edit", srv.page(srv.renamePseud))
	mux.HandleFunc("POST /users/{name}/pseuds/{pseud}/delete", srv.page(srv.deletePseud))
	mux.HandleFunc("GET /series/new", srv.loggedIn(srv.newSeriesForm))
	mux.HandleFunc("POST /series", srv.loggedIn(srv.createSeries))
	mux.HandleFunc("GET /series/{id}", srv.page(srv.showSeries))
	mux.HandleFunc("GET /series/{id}/edit", srv.loggedIn(srv.editSeriesForm))
	mux.HandleFunc("POST /series/{id}/edit", srv.loggedIn(srv.updateSeries))
	mux.HandleFunc("POST /series/{id}/delete", srv.loggedIn(srv.deleteSeries))
	mux.HandleFunc("POST /series/{id}/works", srv.loggedIn(srv.addSeriesWork))
	mux.HandleFunc("POST /series/{id}/works/{work_id}/delete", srv.loggedIn(srv.removeSeriesWork))
	mux.HandleFunc("GET /series/{id}/bookmarks/new", srv.loggedIn(srv.newSeriesBookmarkForm))
	mux.HandleFunc("POST /series/{id}/bookmarks", srv.loggedIn(srv.createSeriesBookmark))
	mux.HandleFunc("GET /works/{id}/bookmarks/new", srv.page(srv.newBookmarkForm))
	mux.HandleFunc("POST /works/{id}/bookmarks", srv.page(srv.createBookmark))
	mux.HandleFunc("GET /works/{id}/bookmarks", srv.page(srv.workBookmarks))
	mux.HandleFunc("GET /bookmarks/{id}/edit", srv.page(srv.editBookmarkForm))
	mux.HandleFunc("POST /bookmarks/{id}/edit", srv.page(srv.updateBookmark))
	mux.HandleFunc("POST /bookmarks/{id}/delete", srv.loggedIn(srv.deleteBookmark))
	mux.HandleFunc("GET /signup", srv.page(srv.signupForm))
	mux.HandleFunc("POST /signup", srv.page(srv.signup))
	mux.HandleFunc("GET /login", srv.page(srv.loginForm))
	mux.HandleFunc("POST /login", srv.page(srv.login))
	mux.HandleFunc("POST /logout", srv.page(srv.logout))
	mux.HandleFunc("GET /logout", srv.page(srv.logoutForm))
	mux.HandleFunc("GET /password_reset", srv.page(srv.passwordResetForm))
	mux.HandleFunc("POST /password_reset", srv.page(srv.passwordReset))
	mux.HandleFunc("GET /account", srv.loggedIn(srv.accountForm))
	mux.HandleFunc("POST /account/password", srv.loggedIn(srv.changePassword))
	mux.HandleFunc("POST /account/email", srv.loggedIn(srv.changeEmail))
	mux.HandleFunc("POST /account/delete", srv.loggedIn(srv.deleteAccount))
	mux.HandleFunc("GET /account/preferences", srv.loggedIn(srv.preferencesForm))
	mux.HandleFunc("POST /account/preferences", srv.loggedIn(srv.savePreferences))
	mux.HandleFunc("POST /account/name", srv.loggedIn(srv.changeName))
	mux.HandleFunc("GET /account/creator_invitations", srv.loggedIn(srv.creatorInvitationsPage))
	mux.HandleFunc("POST /account/creator_invitations/{id}/accept", srv.loggedIn(srv.answerCreatorInvitation(true)))
	mux.HandleFunc("POST /account/creator_invitations/{id}/decline", srv.loggedIn(srv.answerCreatorInvitation(false)))
	mux.HandleFunc("POST /works/{id}/leave", srv.loggedIn(srv.leaveWork))
	mux.HandleFunc("GET /users/{name}/works/edit_multiple", srv.loggedIn(srv.editMultipleForm))
	mux.HandleFunc("POST /users/{name}/works/edit_multiple", srv.loggedIn(srv.editMultiple))
	mux.HandleFunc("GET /users/{name}/orphan", srv.loggedIn(srv.orphanForm))
	mux.HandleFunc("POST /users/{name}/orphan", srv.loggedIn(srv.orphan))
	mux.HandleFunc("GET /account/mutes", srv.loggedIn(srv.mutesForm))
	mux.HandleFunc("POST /account/mutes", srv.loggedIn(srv.saveMutes))
	mux.HandleFunc("POST /account/feed_token", srv.loggedIn(srv.newFeedToken))
	mux.HandleFunc("GET /invite_requests", srv.page(srv.inviteRequestForm))
	mux.HandleFunc("POST /invite_requests", srv.page(srv.requestInvitation))
	mux.HandleFunc("GET /verify_email", srv.page(srv.verifyEmailForm))
	mux.HandleFunc("POST /verify_email", srv.page(srv.verifyEmail))
	mux.HandleFunc("POST /account/verification", srv.loggedIn(srv.resendVerification))
	mux.HandleFunc("GET /users/{name}/invitations", srv.page(srv.userInvitations))
	mux.HandleFunc("POST /users/{name}/invitations", srv.loggedIn(srv.sendUserInvitation))
	mux.HandleFunc("GET /admin/settings", srv.adminPage(archive.RoleAdmin, srv.settingsForm))
	mux.HandleFunc("POST /admin/settings", srv.adminPage(archive.RoleAdmin, srv.saveSettings))
	mux.HandleFunc("GET /admin/invitations", srv.adminPage(archive.RoleAdmin, srv.invitationsPage))
	mux.HandleFunc("POST /admin/invitations", srv.adminPage(archive.RoleAdmin, srv.sendInvitations))
	mux.HandleFunc("POST /admin/invitations/give", srv.adminPage(archive.RoleAdmin, srv.giveInvitations))
	mux.HandleFunc("GET /admin/review", srv.adminPage(archive.RoleModerator, srv.reviewQueue))
	mux.HandleFunc("POST /admin/review/{id}/approve", srv.adminPage(archive.RoleModerator, srv.reviewWork(true)))
	mux.HandleFunc("POST /admin/review/{id}/reject", srv.adminPage(archive.RoleModerator, srv.reviewWork(false)))
	mux.HandleFunc("POST /subscriptions", srv.loggedIn(srv.subscribe))
	mux.HandleFunc("POST /subscriptions/delete", srv.loggedIn(srv.unsubscribe))
	mux.HandleFunc("GET /unsubscribe/{token}", srv.page(srv.unsubscribeForm))
	mux.HandleFunc("POST /unsubscribe/{token}", srv.page(srv.unsubscribeByToken))
	mux.HandleFunc("GET /unsubscribe/digest/{token}", srv.page(srv.digestUnsubscribeForm))
	mux.HandleFunc("POST /unsubscribe/digest/{token}", srv.page(srv.digestUnsubscribe))
	mux.HandleFunc("GET /inbox", srv.loggedIn(srv.showInbox))
	mux.HandleFunc("POST /inbox", srv.loggedIn(srv.updateInbox))
	mux.HandleFunc("GET /reports/new", srv.page(srv.newReportForm))
	mux.HandleFunc("POST /reports", srv.page(srv.createReport))
	mux.HandleFunc("GET /admin/reports", srv.staff(srv.page(srv.reportsQueue)))
	mux.HandleFunc("POST /admin/reports", srv.staff(srv.page(srv.closeReportsOf)))
	mux.HandleFunc("POST /admin/reports/{id}", srv.staff(srv.page(srv.updateReport)))
	// admin.go: the moderators' pages and forms.
	srv.adminRoutes(mux)
	srv.newsRoutes(mux)                                 // news.go: news and the site banner
	srv.collectionRoutes(mux)                           // collections.go: collections, items, reveal, gifts
	srv.profileRoutes(mux)                              // profile.go: series tab, bio, blocked users
	srv.promptRoutes(mux)                               // prompts.go: prompt memes' prompts and claims
	srv.challengeRoutes(mux)                            // challenges.go: gift exchanges, sign-ups, matching, assignments
	srv.relatedRoutes(mux)                              // related.go: related works' answers
	srv.robotsRoutes(mux)                               // robots.go: robots.txt and the sitemap
	mux.HandleFunc("/", srv.page(srv.legacyOrNotFound)) // redirects.go: an imported archive's old URLs
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

func (srv *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := srv.site.Ping(ctx); err != nil {
		http.Error(w, "database: "+err.Error(), http.StatusServiceUnavailable)
		return nil
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
	return nil
}

// page adapts a handler that returns its error: the error becomes the
// error page (or the login redirect), through the one error map.
func (srv *Server) page(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			srv.fail(w, r, err)
		}
	}
}

// loggedIn adapts a handler for logged-in readers only: a guest is sent to
// log in and come back; the handler gets the user.
func (srv *Server) loggedIn(h func(w http.ResponseWriter, r *http.Request, u *archive.User) error) http.HandlerFunc {
	return srv.page(func(w http.ResponseWriter, r *http.Request) error {
		u := currentUser(r)
		if u == nil {
			return archive.ErrAuth
		}
		return h(w, r, u)
	})
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
	rd := srv.readerOf(r)
	title, msg := http.StatusText(c.Status), sentence(c.Text(rd.loc))
	switch c.Status {
	case http.StatusNotFound:
		if !c.Worded {
			msg = rd.loc.T("We couldn't find that page. It may have been deleted, or you may not have permission to see it.")
		}
	case http.StatusForbidden:
		if !c.Worded {
			msg = rd.loc.T("Sorry, you don't have permission to do that.")
		}
	case http.StatusTooManyRequests:
		title = "Slow down"
	case http.StatusUnprocessableEntity:
		title = "Please check what you sent"
		if ve := (*archive.ValidationError)(nil); errors.As(err, &ve) {
			msg = sentence(humanField(rd.loc, ve))
		}
	}
	srv.render(w, r, c.Status, "error", pageData{Title: title, P: msg})
}
