package web

import (
	"hash/maphash"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"text/template/parse"
	"time"

	"quire/internal/archive"
	"quire/internal/i18n"
)

// A page speaks its reader's language: the locale they chose on their
// account, else the footer switch's cookie, else Accept-Language, else
// the site's default (i18n.Catalog.Choose). Their time zone (a
// preference; UTC for guests) places the times. Each page's templates
// are cloned once per locale and zone with t, tn, date… bound to them,
// so a lookup in a template is a map read.

const localeCookie = "quire_locale"

// reader is the locale and zone a page is written for.
type reader struct {
	loc  *i18n.Locale
	zone *time.Location
	key  string // loc.Code + "|" + zone name: the clone and blurb cache key
}

func (srv *Server) readerOf(r *http.Request) reader {
	pref, zoneName := "", ""
	if u := currentUser(r); u != nil {
		pref, zoneName = u.Preferences.Locale, u.Preferences.TimeZone
	}
	cookie := ""
	if c, err := r.Cookie(localeCookie); err == nil {
		cookie = c.Value
	}
	loc := srv.locales.Choose(pref, cookie, r.Header.Get("Accept-Language"))
	rd := reader{loc: loc, zone: time.UTC, key: loc.Code}
	if zoneName != "" {
		if z := zoneNamed(zoneName); z != nil {
			rd.zone, rd.key = z, loc.Code+"|"+zoneName
		}
	}
	return rd
}

// zones caches the time zones readers chose (time.LoadLocation reads a
// file each time); the names were validated when saved.
var zones sync.Map // name → *time.Location

func zoneNamed(name string) *time.Location {
	if z, ok := zones.Load(name); ok {
		return z.(*time.Location)
	}
	z, err := archive.LoadZone(name)
	if err != nil || z == nil {
		return nil
	}
	zones.Store(name, z)
	return z
}

// localeFuncs are the template functions bound to one reader.
func localeFuncs(rd reader) template.FuncMap {
	l, zone := rd.loc, rd.zone
	return template.FuncMap{
		"t":  l.T,
		"tn": func(key string, n any, args ...any) string { return l.N(key, toInt(n), args...) },
		// th is a message holding markup (a link in a sentence): the
		// catalog's text is trusted, its arguments are escaped.
		"th": func(key string, args ...any) template.HTML {
			for i, a := range args {
				if s, ok := a.(string); ok {
					args[i] = template.HTMLEscapeString(s)
				}
			}
			return template.HTML(l.T(key, args...))
		},
		"date": func(t time.Time) template.HTML {
			t = t.In(zone)
			return template.HTML(`<time datetime="` + t.Format("2006-01-02") + `">` + template.HTMLEscapeString(l.Date(t)) + `</time>`)
		},
		"datetime": func(t time.Time) template.HTML {
			t = t.In(zone)
			return template.HTML(`<time datetime="` + t.Format(time.RFC3339) + `">` + template.HTMLEscapeString(l.DateTime(t)) + `</time>`)
		},
		"ago": func(t time.Time) string { return l.Ago(t, time.Now()) },
		"num": func(n any) string {
			switch x := n.(type) {
			case int:
				return l.Num(int64(x))
			case int64:
				return l.Num(x)
			}
			return formatNum(n)
		},
		"chapters": func(posted, expected int) string {
			if expected == 0 {
				return l.Num(int64(posted)) + "/?"
			}
			return l.Num(int64(posted)) + "/" + l.Num(int64(expected))
		},
		// vocab shows a fixed rating, warning or category in the reader's
		// language; anything else (a user's tag) as it is.
		"vocab": func(name string) string {
			if archive.IsFixedTag(name) {
				return l.T(name)
			}
			return name
		},
		"vocabs": func(names []string) string {
			var b strings.Builder
			for i, n := range names {
				if i > 0 {
					b.WriteString(l.Comma)
				}
				if archive.IsFixedTag(n) {
					n = l.T(n)
				}
				b.WriteString(n)
			}
			return b.String()
		},
		"label": func(t archive.TagType) string { return l.T(t.Label()) },
		"lang":  func() *i18n.Locale { return l },
	}
}

// localeStubs stand for localeFuncs when a page's templates are parsed.
var localeStubs = func() template.FuncMap {
	f := localeFuncs(reader{loc: &i18n.Locale{}, zone: time.UTC})
	return f
}()

// maxReaderSets bounds the clones kept: beyond it a reader in an unusual
// zone gets their locale's UTC pages.
const maxReaderSets = 64

// readerPages are one reader key's page templates, cloned on first use.
type readerPages struct {
	mu   sync.Mutex
	sets map[string]*template.Template
}

// set is page name's templates for rd, cloned from the parsed base.
func (p *pages) set(rd reader, name string) *template.Template {
	base := p.sets[name]
	if base == nil {
		return nil
	}
	p.mu.RLock()
	rp := p.byReader[rd.key]
	p.mu.RUnlock()
	if rp == nil {
		p.mu.Lock()
		if rp = p.byReader[rd.key]; rp == nil {
			if len(p.byReader) >= maxReaderSets && rd.zone != time.UTC {
				p.mu.Unlock()
				return p.set(reader{loc: rd.loc, zone: time.UTC, key: rd.loc.Code}, name)
			}
			rp = &readerPages{sets: map[string]*template.Template{}}
			p.byReader[rd.key] = rp
		}
		p.mu.Unlock()
	}
	rp.mu.Lock()
	defer rp.mu.Unlock()
	t := rp.sets[name]
	if t == nil {
		c, err := base.Clone()
		if err != nil { // only after the base ran, which it never does
			panic(err)
		}
		for _, x := range c.Templates() {
			if x.Tree != nil {
				inlineMessages(x.Tree.Root, rd.loc)
			}
		}
		t = c.Funcs(localeFuncs(rd))
		rp.sets[name] = t
	}
	return t
}

// inlineMessages replaces each {{t "literal"}} of a cloned tree by its
// translation, escaped, as template text: a page's fixed messages then
// cost nothing when it renders (the escaper sees them as written text, in
// the text and quoted-attribute places where t is used).
func inlineMessages(n parse.Node, l *i18n.Locale) {
	switch x := n.(type) {
	case *parse.ListNode:
		if x == nil {
			return
		}
		for i, c := range x.Nodes {
			if a, ok := c.(*parse.ActionNode); ok {
				if key, ok := constantMessage(a); ok {
					x.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: a.Pos, Text: []byte(template.HTMLEscapeString(l.T(key)))}
					continue
				}
			}
			inlineMessages(c, l)
		}
	case *parse.IfNode:
		inlineMessages(x.List, l)
		inlineMessages(x.ElseList, l)
	case *parse.RangeNode:
		inlineMessages(x.List, l)
		inlineMessages(x.ElseList, l)
	case *parse.WithNode:
		inlineMessages(x.List, l)
		inlineMessages(x.ElseList, l)
	}
}

// constantMessage is the key of an action that is exactly {{t "key"}}.
func constantMessage(a *parse.ActionNode) (string, bool) {
	if a.Pipe == nil || len(a.Pipe.Decl) > 0 || len(a.Pipe.Cmds) != 1 {
		return "", false
	}
	args := a.Pipe.Cmds[0].Args
	if len(args) != 2 {
		return "", false
	}
	if id, ok := args[0].(*parse.IdentifierNode); !ok || id.Ident != "t" {
		return "", false
	}
	str, ok := args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}
	return str.Text, true
}

// renderBlurbs renders works' blurbs with page name's blurb template in
// r's reader's language, from that language's cache.
func (srv *Server) renderBlurbs(r *http.Request, name string, works []*archive.Work) ([]template.HTML, error) {
	rd := srv.readerOf(r)
	srv.blurbMu.Lock()
	c := srv.blurbs[rd.key]
	if c == nil {
		c = &blurbCache{m: map[int64]blurbEntry{}}
		srv.blurbs[rd.key] = c
	}
	srv.blurbMu.Unlock()
	return c.render(srv.pages.set(rd, name), works)
}

// localeOption is one entry of the footer's language switch.
type localeOption struct {
	Code, Name string
	Current    bool
}

// localeOptions is the switch with cur selected, built once per locale.
func (srv *Server) localeOptions(cur *i18n.Locale) []localeOption {
	srv.switchOnce.Do(func() {
		srv.switches = map[*i18n.Locale][]localeOption{}
		for _, c := range srv.locales.Locales() {
			var opts []localeOption
			for _, l := range srv.locales.Locales() {
				opts = append(opts, localeOption{Code: l.Code, Name: l.Name, Current: l == c})
			}
			srv.switches[c] = opts
		}
	})
	return srv.switches[cur]
}

// setLocale (POST /locale, locale, return_to) is the footer's switch: a
// cookie for a year; a signed-in reader's preference changes too. An
// unknown code clears the choice (the browser's languages decide).
func (srv *Server) setLocale(w http.ResponseWriter, r *http.Request) error {
	l := srv.locales.Lookup(r.PostFormValue("locale"))
	c := &http.Cookie{Name: localeCookie, Path: "/", HttpOnly: true, Secure: srv.opt.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: -1}
	code := ""
	if l != nil {
		code = l.Code
		c.Value, c.MaxAge = code, int(365*24*time.Hour/time.Second)
	}
	http.SetCookie(w, c)
	if u := currentUser(r); u != nil && u.Preferences.Locale != code {
		p := u.Preferences
		p.Locale = code
		if _, err := srv.site.SetPreferences(r.Context(), u, p); err != nil {
			return err
		}
	}
	http.Redirect(w, r, localPath(r.PostFormValue("return_to"), "/"), http.StatusSeeOther)
	return nil
}

// tr is key in r's reader's language, for text a handler builds.
func (srv *Server) tr(r *http.Request, key string, args ...any) string {
	return srv.readerOf(r).loc.T(key, args...)
}

// trn is the plural message key for count n in r's reader's language.
func (srv *Server) trn(r *http.Request, key string, n int, args ...any) string {
	return srv.readerOf(r).loc.N(key, n, args...)
}

// msg marks s as a message key that a template translates later
// ({{t .Closed}}), so the catalog test finds it.
func msg(s string) string { return s }

// toInt is a count of any integer type (counters are int64).
func toInt(n any) int {
	switch x := n.(type) {
	case int:
		return x
	case int64:
		return int(x)
	case int32:
		return int(x)
	case uint:
		return int(x)
	}
	return 0
}

// readerSum folds a reader's locale and zone into a fragment's sum, so a
// cached fragment is only reused for the same language and zone.
func readerSum(rd reader) uint64 {
	var h maphash.Hash
	h.SetSeed(fragmentSeed)
	h.WriteString(rd.key)
	return h.Sum64()
}
