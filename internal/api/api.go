// Package api is Quire's JSON API under /api/v1: the same operations the
// pages offer (package site), with JSON in and out, bearer-token auth, a
// per-token rate limit, and errors mapped to statuses by package httperr.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/httperr"
	"quire/internal/i18n"
	"quire/internal/ratelimit"
	"quire/internal/site"
)

// DefaultMaxBody is the request body cap when Options.MaxBody is 0.
const DefaultMaxBody = 4 << 20

// Options configures the API.
type Options struct {
	// RateLimit is API requests per minute per token or client address
	// (0 = unlimited).
	RateLimit int
	// MaxBody caps request bodies in bytes (DefaultMaxBody when 0); a larger
	// body is answered with 413.
	MaxBody int64
	// ClientIP returns the caller's address (proxy-aware); the default is
	// the host of r.RemoteAddr.
	ClientIP func(*http.Request) string
	// Locales say the errors' messages (codes stay English) in the token
	// user's language, else the Accept-Language header's, else the
	// default; nil is the shipped catalogs.
	Locales *i18n.Catalog
}

// server is the API's state: the site it serves and the limits it keeps.
type server struct {
	site     *site.Site
	limiter  *ratelimit.Limiter
	maxBody  int64
	clientIP func(*http.Request) string
	locales  *i18n.Catalog
}

// New returns the API handler; mount it at "/api/".
func New(s *site.Site, opt Options) http.Handler {
	a := &server{site: s, limiter: ratelimit.New(opt.RateLimit), maxBody: opt.MaxBody, clientIP: opt.ClientIP, locales: opt.Locales}
	if a.locales == nil {
		if l, err := i18n.Load("", ""); err == nil { // the embedded catalogs always load
			a.locales = l
		}
	}
	if a.maxBody <= 0 {
		a.maxBody = DefaultMaxBody
	}
	if a.clientIP == nil {
		a.clientIP = remoteHost
	}
	mux := http.NewServeMux()
	a.routes(mux)
	return a.recoverPanics(a.authenticate(a.formerNames(mux)))
}

// route is one path and the handlers of the methods it accepts.
type route struct {
	path    string
	methods map[string]handlerFunc
}

// handlerFunc serves one API request; a returned error becomes the JSON error
// response (the handler has written nothing then).
type handlerFunc func(w http.ResponseWriter, r *http.Request, u *archive.User) error

func (a *server) routes(mux *http.ServeMux) {
	for _, rt := range a.table() {
		var allow []string
		for m, h := range rt.methods {
			mux.Handle(m+" "+rt.path, a.serve(h))
			if m != "PUT" {
				allow = append(allow, m)
			}
		}
		allowed := allowHeader(allow)
		mux.Handle(rt.path, a.serve(func(w http.ResponseWriter, r *http.Request, u *archive.User) error {
			w.Header().Set("Allow", allowed)
			return methodNotAllowed(r)
		}))
	}
	mux.Handle("/api/", a.serve(func(w http.ResponseWriter, r *http.Request, u *archive.User) error {
		return httperr.New(http.StatusNotFound, "not_found", "there is no API endpoint at "+r.URL.Path)
	}))
}

// table is every endpoint: its path and the handlers of its methods.
func (a *server) table() []route {
	return append([]route{
		{"/api/v1/works", map[string]handlerFunc{"GET": a.listWorks, "POST": a.createWork}},
		{"/api/v1/works/{id}", map[string]handlerFunc{"GET": a.getWork, "PATCH": a.editWork, "DELETE": a.deleteWork}},
		{"/api/v1/works/{id}/chapters", map[string]handlerFunc{"POST": a.addChapter}},
		// PUT is only for ".../chapters/order"; a numeric position answers 405 to it.
		{"/api/v1/works/{id}/chapters/{position}", map[string]handlerFunc{"GET": a.withVisitor(a.getChapter), "PATCH": a.editChapter, "DELETE": a.deleteChapter, "PUT": a.reorderChapters}},
		{"/api/v1/me", map[string]handlerFunc{"GET": a.me, "PATCH": a.patchMe}},
		{"/api/v1/me/drafts", map[string]handlerFunc{"GET": a.drafts}},
		{"/api/v1/me/creator_invitations", map[string]handlerFunc{"GET": a.creatorInvitations}},
		{"/api/v1/me/creator_invitations/{id}/accept", map[string]handlerFunc{"POST": a.acceptCreatorInvitation}},
		{"/api/v1/me/creator_invitations/{id}/decline", map[string]handlerFunc{"POST": a.declineCreatorInvitation}},
		{"/api/v1/works/{id}/creators/me", map[string]handlerFunc{"DELETE": a.leaveWork}},
		{"/api/v1/me/orphans", map[string]handlerFunc{"POST": a.orphan}},
		{"/api/v1/me/works", map[string]handlerFunc{"PATCH": a.editWorks}},
		{"/api/v1/me/history", map[string]handlerFunc{"GET": a.history, "DELETE": a.clearHistory}},
		{"/api/v1/works/{id}/mark_for_later", map[string]handlerFunc{"POST": a.markForLater, "DELETE": a.markForLater}},
		{"/api/v1/me/preferences", map[string]handlerFunc{"GET": a.preferences, "PUT": a.setPreferences}},
		{"/api/v1/me/muted_tags", map[string]handlerFunc{"GET": a.mutedTags, "PUT": a.setMutedTags}},
		{"/api/v1/me/muted_users", map[string]handlerFunc{"GET": a.mutedUsers, "PUT": a.setMutedUsers}},
		{"/api/v1/me/feed_token", map[string]handlerFunc{"GET": a.feedToken, "POST": a.newFeedToken}},
		{"/api/v1/admin/settings", map[string]handlerFunc{"GET": a.getSettings, "PATCH": a.patchSettings}},
		{"/api/v1/admin/invitations", map[string]handlerFunc{"POST": a.sendInvitations}},
		{"/api/v1/admin/users/{name}/invitations", map[string]handlerFunc{"POST": a.giveInvitations}},
		{"/api/v1/me/invitations", map[string]handlerFunc{"GET": a.myInvitations, "POST": a.sendMyInvitation}},
		{"/api/v1/admin/review", map[string]handlerFunc{"GET": a.reviewQueue}},
		{"/api/v1/admin/review/{id}/approve", map[string]handlerFunc{"POST": a.approveWork}},
		{"/api/v1/admin/review/{id}/reject", map[string]handlerFunc{"POST": a.rejectWork}},
		{"/api/v1/bookmarks", map[string]handlerFunc{"GET": a.bookmarksIndex}},
		{"/api/v1/people/search", map[string]handlerFunc{"GET": a.searchPeople}},
		{"/api/v1/tags/{name}/bookmarks", map[string]handlerFunc{"GET": a.tagBookmarks}},
		{"/api/v1/users/{name}/bookmarks", map[string]handlerFunc{"GET": a.listBookmarks, "POST": a.createBookmark}},
		{"/api/v1/bookmarks/{id}", map[string]handlerFunc{"GET": a.getBookmark, "PATCH": a.editBookmark, "DELETE": a.deleteBookmark}},
		{"/api/v1/works/{id}/kudos", map[string]handlerFunc{"GET": a.getKudos, "POST": a.giveKudos}},
		{"/api/v1/works/{id}/chapters/{position}/comments", map[string]handlerFunc{"GET": a.listComments, "POST": a.postComment}},
		{"/api/v1/comments/{id}", map[string]handlerFunc{"GET": a.getComment, "PATCH": a.editComment, "DELETE": a.deleteComment}},
		{"/api/v1/comments/{id}/approve", map[string]handlerFunc{"POST": a.approveComment}},
		{"/api/v1/comments/{id}/freeze", map[string]handlerFunc{"POST": a.freezeComment, "DELETE": a.unfreezeComment}},
		{"/api/v1/me/blocked_users", map[string]handlerFunc{"GET": a.blockedUsers, "POST": a.blockUser}},
		{"/api/v1/me/blocked_users/{name}", map[string]handlerFunc{"DELETE": a.unblockUser}},
		{"/api/v1/me/hidden_works", map[string]handlerFunc{"GET": a.hiddenWorks}},
		{"/api/v1/me/searches", map[string]handlerFunc{"GET": a.savedSearches, "POST": a.createSavedSearch}},
		{"/api/v1/me/searches/{id}", map[string]handlerFunc{"PATCH": a.updateSavedSearch, "DELETE": a.deleteSavedSearch}},
		{"/api/v1/me/searches/{id}/feed_token", map[string]handlerFunc{"POST": a.newSavedSearchToken}},
		{"/api/v1/me/hidden_works/{id}", map[string]handlerFunc{"POST": a.hideWork, "DELETE": a.unhideWork}},
		{"/api/v1/subscriptions", map[string]handlerFunc{"GET": a.listSubscriptions, "POST": a.subscribe, "DELETE": a.unsubscribe}},
		{"/api/v1/me/inbox", map[string]handlerFunc{"GET": a.inbox, "PATCH": a.markInbox}},
		{"/api/v1/me/inbox/{id}", map[string]handlerFunc{"PATCH": a.patchInboxEntry, "DELETE": a.deleteInboxEntry}},
		{"/api/v1/tags/{name}", map[string]handlerFunc{"GET": a.getTag, "PATCH": a.wrangleTag}},
		{"/api/v1/autocomplete/tags", map[string]handlerFunc{"GET": a.autocompleteTags}},
		{"/api/v1/me/pseuds", map[string]handlerFunc{"POST": a.createPseud}},
		{"/api/v1/me/pseuds/{pseud}", map[string]handlerFunc{"PATCH": a.renamePseud, "DELETE": a.deletePseud}},
		{"/api/v1/users/{name}/pseuds", map[string]handlerFunc{"GET": a.listPseuds}},
		{"/api/v1/users/{name}", map[string]handlerFunc{"GET": a.getUser}},
		{"/api/v1/series", map[string]handlerFunc{"POST": a.createSeries}},
		{"/api/v1/series/{id}", map[string]handlerFunc{"GET": a.getSeries, "PATCH": a.editSeries, "DELETE": a.deleteSeries}},
		{"/api/v1/series/{id}/works/{work_id}", map[string]handlerFunc{"PUT": a.putSeriesWork, "DELETE": a.deleteSeriesWork}},
		{"/api/v1/reports", map[string]handlerFunc{"POST": a.fileReport}},
		{"/api/v1/admin/reports", map[string]handlerFunc{"GET": a.listReports}},
		{"/api/v1/admin/reports/{id}", map[string]handlerFunc{"GET": a.getReport, "PATCH": a.patchReport}},
		{"/api/v1/admin/posts", map[string]handlerFunc{"POST": a.createNews}},
		{"/api/v1/admin/posts/{id}", map[string]handlerFunc{"PATCH": a.editNews, "DELETE": a.deleteNews}},
		{"/api/v1/admin/banner", map[string]handlerFunc{"GET": a.getBanner, "PUT": a.setBanner}},
	}, append(append(append(append(a.adminRoutes(), a.collectionRoutes()...), a.relatedRoutes()...), a.challengeRoutes()...), a.promptRoutes()...)...)
}

// allowHeader lists methods in a stable order (GET also allows HEAD).
func allowHeader(methods []string) string {
	var out []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		for _, have := range methods {
			if have == m {
				out = append(out, m)
				if m == "GET" {
					out = append(out, "HEAD")
				}
			}
		}
	}
	return strings.Join(out, ", ")
}

// serve adapts a handlerFunc: it passes the authenticated user and writes
// the JSON error a handler returns.
func (a *server) serve(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _ := r.Context().Value(userKey{}).(*archive.User)
		if err := h(w, r, u); err != nil {
			a.writeError(w, r, err)
		}
	})
}

type userKey struct{}

// authenticate resolves the bearer token, applies the rate limit, and
// refuses a present but bad token (401, on reads too).
func (a *server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, present, ok := bearerToken(r)
		var u *archive.User
		var authErr error
		key := "ip:" + a.clientIP(r)
		switch {
		case present && !ok:
			authErr = httperr.New(http.StatusUnauthorized, "bad_token", "the Authorization header must be \"Bearer\" and an API token")
		case present:
			var err error
			u, err = a.site.TokenUser(r.Context(), tokenForLookup(token))
			switch {
			case errors.Is(err, archive.ErrNotFound):
				authErr = httperr.New(http.StatusUnauthorized, "bad_token", "the API token is unknown or revoked")
			case err != nil:
				authErr = fmt.Errorf("token lookup: %w", err)
			default:
				key = "token:" + site.HashSecret(token)
				// Known from here on, so an error speaks the user's language.
				r = r.WithContext(context.WithValue(r.Context(), userKey{}, u))
			}
		}
		if allowed, wait := a.limiter.Allow(key); !allowed {
			secs := max(1, int(math.Ceil(wait.Seconds())))
			a.writeError(w, r, &httperr.Error{Status: http.StatusTooManyRequests, Code: "rate_limited", RetryAfter: wait,
				Message: fmt.Sprintf("too many API requests; the limit is %d a minute, try again in %d seconds", a.limiter.PerMinute, secs)})
			return
		}
		if authErr != nil {
			a.writeError(w, r, authErr)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !writeAllowedWhileSuspended(r.URL.Path) {
			if err := a.site.CheckWrite(u); err != nil {
				a.writeError(w, r, err)
				return
			}
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !writeAllowedWhileSuspended(r.URL.Path) {
			if err := a.site.CheckWrite(u); err != nil {
				a.writeError(w, r, err)
				return
			}
		}
		if u != nil {
			r = r.WithContext(context.WithValue(r.Context(), userKey{}, u))
		}
		next.ServeHTTP(w, r)
	})
}

// bearerToken reads "Authorization: Bearer TOKEN". present says whether the
// header was sent at all, ok whether it had the right shape.
func bearerToken(r *http.Request) (token string, present, ok bool) {
	h, present := r.Header["Authorization"]
	if !present {
		return "", false, false
	}
	if len(h) != 1 {
		return "", true, false
	}
	scheme, tok, found := strings.Cut(strings.TrimSpace(h[0]), " ")
	tok = strings.TrimSpace(tok)
	if !found || !strings.EqualFold(scheme, "Bearer") || tok == "" || strings.ContainsAny(tok, " \t") {
		return "", true, false
	}
	return tok, true, true
}

// tokenForLookup undoes the "quire_" prefix site.CreateToken adds to what it
// hands out, since site.TokenUser hashes its argument as given while the
// store keeps the hash of the unprefixed secret.
func tokenForLookup(token string) string {
	return strings.TrimPrefix(token, "quire_")
}

// recoverPanics turns a panic into a logged 500 with a JSON body.
func (a *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.site.Log.Error("api panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				writeJSON(w, http.StatusInternalServerError, errorBody("internal", "something went wrong on our side"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// writeError writes err as {"error": {"code", "message"}} with the status
// httperr assigns, logging what was not expected.
func (a *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	c := httperr.Classify(err)
	if c.Status >= 500 {
		a.site.Log.Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if c.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="quire"`)
	}
	if secs := c.RetrySeconds(); secs > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	writeJSON(w, c.Status, errorBody(c.Code, c.Text(a.localeOf(r))))
}

// localeOf is the language of r's error messages: the token user's
// preference, else Accept-Language, else the site's default.
func (a *server) localeOf(r *http.Request) *i18n.Locale {
	if a.locales == nil {
		return nil
	}
	pref := ""
	if u, _ := r.Context().Value(userKey{}).(*archive.User); u != nil {
		pref = u.Preferences.Locale
	}
	return a.locales.Choose(pref, "", r.Header.Get("Accept-Language"))
}

func errorBody(code, msg string) any {
	return map[string]any{"error": map[string]string{"code": code, "message": msg}}
}

// writeJSON writes v with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"something went wrong on our side"}}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
}

// remoteHost is the default ClientIP: the host part of r.RemoteAddr.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// requireUser refuses a write without a token.
func requireUser(u *archive.User) error {
	if u == nil {
		return archive.ErrAuth
	}
	return nil
}

// pathID parses a positive id from the path; anything else is "not found".
func pathID(r *http.Request, name string) (int64, error) {
	s := r.PathValue(name)
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != s {
		return 0, fmt.Errorf("%s %q: %w", name, s, archive.ErrNotFound)
	}
	return id, nil
}

// timestamp formats a time as RFC 3339 in UTC (null when unset).
func timestamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// notFoundError is "not found" for what.
func notFoundError(what string) error {
	return fmt.Errorf("%s: %w", what, archive.ErrNotFound)
}

// methodNotAllowed is a 405; the caller sets the Allow header.
func methodNotAllowed(r *http.Request) error {
	return httperr.New(http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed on "+r.URL.Path)
}
