package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/site"
)

// Prompt memes: the prompts page with its filters, a prompt's own page,
// the prompt form (post and edit), claiming and dropping a claim, deleting
// a prompt, and one's claims. Plain forms: no page needs JavaScript.

func (srv *Server) promptRoutes(mux router) {
	mux.HandleFunc("GET /collections/{name}/prompts", srv.page(srv.promptsPage))
	mux.HandleFunc("POST /collections/{name}/prompts", srv.loggedIn(srv.postPrompt))
	mux.HandleFunc("GET /collections/{name}/prompts/new", srv.loggedIn(srv.newPromptForm))
	mux.HandleFunc("GET /collections/{name}/prompts/{id}", srv.page(srv.promptPage))
	mux.HandleFunc("GET /collections/{name}/prompts/{id}/edit", srv.loggedIn(srv.editPromptForm))
	mux.HandleFunc("POST /collections/{name}/prompts/{id}", srv.loggedIn(srv.editPrompt))
	mux.HandleFunc("POST /collections/{name}/prompts/{id}/delete", srv.loggedIn(srv.deletePrompt))
	mux.HandleFunc("POST /collections/{name}/prompts/{id}/claim", srv.loggedIn(srv.claimPrompt))
	mux.HandleFunc("POST /claims/{id}/drop", srv.loggedIn(srv.dropClaim))
	mux.HandleFunc("GET /users/{name}/claims", srv.loggedIn(srv.userClaims))
}

type promptsPage struct {
	*site.PromptsPage
	Statuses []string
	LastPage int
}

func (p *promptsPage) URL(page int) string {
	q := url.Values{}
	if p.Query.Tag != "" {
		q.Set("tag", p.Query.Tag)
	}
	if p.Query.Status != "" {
		q.Set("status", p.Query.Status)
	}
	if p.Query.Sort != "newest" {
		q.Set("sort", p.Query.Sort)
	}
	q.Set("page", strconv.Itoa(page))
	return "/collections/" + p.Collection.Name + "/prompts?" + q.Encode()
}

func (srv *Server) promptsPage(w http.ResponseWriter, r *http.Request) error {
	adminOnly(w) // names differ by reader (anonymous prompts and claims)
	q := r.URL.Query()
	page, err := site.PageParam("page", q.Get("page"))
	if err != nil {
		return err
	}
	pg, err := srv.site.Prompts(r.Context(), currentUser(r), r.PathValue("name"),
		site.PromptQuery{Tag: q.Get("tag"), Status: q.Get("status"), Sort: q.Get("sort"), Page: page})
	if err != nil {
		return err
	}
	p := &promptsPage{PromptsPage: pg, LastPage: pg.Pages,
		Statuses: []string{site.PromptsClaimed, site.PromptsUnclaimed, site.PromptsFilled, site.PromptsUnfilled}}
	srv.render(w, r, http.StatusOK, "prompts", pageData{Title: srv.tr(r, "Prompts in {0}", pg.Collection.Title), P: p})
	return nil
}

func promptID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, archive.Explain(archive.ErrNotFound, "no such prompt")
	}
	return id, nil
}

func (srv *Server) promptPage(w http.ResponseWriter, r *http.Request) error {
	adminOnly(w)
	id, err := promptID(r)
	if err != nil {
		return err
	}
	v, err := srv.site.Prompt(r.Context(), currentUser(r), r.PathValue("name"), id)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "prompt", pageData{Title: srv.tr(r, "Prompt in {0}", v.Collection.Title), P: v})
	return nil
}

// promptForm is the prompt form: the meme's settings shape its fields.
type promptForm struct {
	C       *archive.Collection
	Ch      *archive.Challenge
	ID      int64 // 0: a new prompt
	V       map[string]string
	Any     map[string]bool
	Fields  []tagField
	Ratings []string
	TagSet  []string
}

func (srv *Server) promptFormFor(r *http.Request, name string, id int64) (*promptForm, error) {
	v, err := srv.site.Challenge(r.Context(), currentUser(r), name)
	if err != nil {
		return nil, err
	}
	if v.Challenge == nil || v.Challenge.Kind != archive.PromptMeme {
		return nil, archive.Explain(archive.ErrNotFound, "%s is not a prompt meme", v.Collection.Title)
	}
	s := &v.Challenge.Settings
	f := &promptForm{C: v.Collection, Ch: v.Challenge, ID: id, V: map[string]string{}, Any: map[string]bool{}, TagSet: s.TagSet}
	if s.Rule(archive.TypeRating).Request.Max > 0 {
		f.Ratings = archive.Ratings
	}
	for _, t := range archive.ChallengeTagTypes {
		rule := s.Rule(t)
		if t == archive.TypeRating || rule.Request.Max == 0 && !rule.Any {
			continue
		}
		f.Fields = append(f.Fields, tagField{Type: t, Label: t.Label(), AnyOK: rule.Any, Min: rule.Request.Min, Max: rule.Request.Max})
	}
	return f, nil
}

func (f *promptForm) fill(p *archive.Prompt) {
	f.V["title"], f.V["text"], f.V["url"] = p.Title, p.Details.Source, p.URL
	if p.Anonymous {
		f.V["anonymous"] = "1"
	}
	if rt := p.Tags[archive.TypeRating]; len(rt) > 0 {
		f.V["rating"] = rt[0]
	}
	for i := range f.Fields {
		fl := &f.Fields[i]
		fl.Value, fl.Any = strings.Join(p.Tags[fl.Type], ", "), p.IsAny(fl.Type)
	}
}

// read takes the posted form back into f and returns the input.
func (f *promptForm) read(v url.Values) archive.MemePromptInput {
	in := archive.MemePromptInput{Title: v.Get("title"), Text: v.Get("text"), URL: v.Get("url"), Rating: v.Get("rating"),
		Anonymous: v.Get("anonymous") != "",
		Fandoms:   splitTags(v.Get("fandom")), Characters: splitTags(v.Get("character")),
		Relationships: splitTags(v.Get("relationship")), Freeforms: splitTags(v.Get("freeform"))}
	for k := range v {
		f.V[k] = v.Get(k)
	}
	for i := range f.Fields {
		fl := &f.Fields[i]
		fl.Value = v.Get(string(fl.Type))
		if v.Get("any_"+string(fl.Type)) != "" {
			fl.Any = true
			in.Any = append(in.Any, string(fl.Type))
		}
	}
	return in
}

func (srv *Server) newPromptForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	f, err := srv.promptFormFor(r, r.PathValue("name"), 0)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "prompt_form", pageData{Title: srv.tr(r, "Post a prompt to {0}", f.C.Title), P: f})
	return nil
}

func (srv *Server) postPrompt(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	name := r.PathValue("name")
	f, err := srv.promptFormFor(r, name, 0)
	if err != nil {
		return err
	}
	in := f.read(r.PostForm)
	v, err := srv.site.PostPrompt(r.Context(), u, name, in)
	if err != nil {
		return srv.invalid(w, r, err, "prompt_form", srv.tr(r, "Post a prompt to {0}", f.C.Title), f)
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(f.C.Name)+"/prompts/"+strconv.FormatInt(v.ID, 10), http.StatusSeeOther)
	return nil
}

func (srv *Server) editPromptForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := promptID(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	v, err := srv.site.Prompt(r.Context(), u, name, id)
	if err != nil {
		return err
	}
	if !v.Mine {
		return archive.Explain(archive.ErrForbidden, "only its poster may edit a prompt")
	}
	f, err := srv.promptFormFor(r, name, id)
	if err != nil {
		return err
	}
	f.fill(v.Prompt)
	srv.render(w, r, http.StatusOK, "prompt_form", pageData{Title: srv.tr(r, "Edit your prompt in {0}", f.C.Title), P: f})
	return nil
}

func (srv *Server) editPrompt(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := promptID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	name := r.PathValue("name")
	f, err := srv.promptFormFor(r, name, id)
	if err != nil {
		return err
	}
	in := f.read(r.PostForm)
	if _, err := srv.site.EditPrompt(r.Context(), u, name, id, in); err != nil {
		return srv.invalid(w, r, err, "prompt_form", srv.tr(r, "Edit your prompt in {0}", f.C.Title), f)
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(f.C.Name)+"/prompts/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (srv *Server) deletePrompt(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := promptID(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	if err := srv.site.DeletePrompt(r.Context(), u, name, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(name)+"/prompts", http.StatusSeeOther)
	return nil
}

func (srv *Server) claimPrompt(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := promptID(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	if _, err := srv.site.Prompt(r.Context(), u, name, id); err != nil {
		return err
	}
	if _, err := srv.site.ClaimPrompt(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/collections/"+url.PathEscape(name)+"/prompts/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (srv *Server) dropClaim(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return archive.Explain(archive.ErrNotFound, "no such claim")
	}
	if _, err := srv.site.DropClaim(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/users/"+url.PathEscape(u.Name)+"/claims", http.StatusSeeOther)
	return nil
}

// userClaims is "My Claims": one's own claims only.
func (srv *Server) userClaims(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	adminOnly(w)
	if !strings.EqualFold(r.PathValue("name"), u.Name) {
		return archive.Explain(archive.ErrForbidden, "your claims are yours to see only")
	}
	cs, err := srv.site.UserClaims(r.Context(), u)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "claims", pageData{Title: "My Claims", P: cs})
	return nil
}

// claimOption is one of the work form's "fills claim" choices.
type claimOption struct {
	ID         int64
	Collection string
	Prompt     string
	Checked    bool
}

// claimFormRows offers the work form the user's open claims and those the
// work fills; a new work's form may name one (?claim=ID, from a prompt)
// and its collection.
func (srv *Server) claimFormRows(r *http.Request, f *workForm, work *archive.Work) {
	u := currentUser(r)
	if u == nil || work != nil && !work.HasCreatorUser(u.ID) {
		return
	}
	ctx := r.Context()
	cs, err := srv.site.UserClaims(ctx, u)
	if err != nil {
		return
	}
	sel := map[int64]bool{}
	if r.Method == http.MethodPost {
		for _, s := range r.PostForm["claim"] {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil {
				sel[id] = true
			}
		}
	} else if work != nil {
		ids, _ := srv.site.WorkClaims(ctx, work.ID)
		for _, id := range ids {
			sel[id] = true
		}
	} else if id, err := strconv.ParseInt(r.URL.Query().Get("claim"), 10, 64); err == nil {
		sel[id] = true
	}
	for _, c := range cs {
		mine := work != nil && c.Claim.WorkID == work.ID
		if c.Claim.WorkID != 0 && !mine {
			continue
		}
		label := c.Prompt.Title
		if label == "" {
			label = promptLabel(c.Prompt.Prompt)
		}
		f.Claims = append(f.Claims, claimOption{ID: c.ID, Collection: c.Prompt.Collection.Name, Prompt: label, Checked: sel[c.ID]})
		if sel[c.ID] && work == nil && r.Method != http.MethodPost && f.V["collections"] == "" {
			f.V["collections"] = c.Prompt.Collection.Name
		}
	}
}

// promptLabel names a prompt by its tags (a prompt may have no title).
func promptLabel(p *archive.Prompt) string {
	var parts []string
	for _, t := range archive.ChallengeTagTypes {
		parts = append(parts, p.Tags[t]...)
	}
	s := strings.Join(parts, ", ")
	if len([]rune(s)) > 80 {
		s = string([]rune(s)[:80]) + "…"
	}
	if s == "" {
		s = "#" + strconv.FormatInt(p.ID, 10)
	}
	return s
}
