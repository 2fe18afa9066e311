package site_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/site"
	"quire/internal/site/sitetest"
)

// wrangleRig is a real SQLite archive with a writer, a reader and a wrangler.
type wrangleRig struct {
	t                        *testing.T
	ctx                      context.Context
	s                        *site.Site
	writer, reader, wrangler *archive.User
}

func newWrangleRig(t *testing.T) *wrangleRig {
	t.Helper()
	ctx := context.Background()
	a := sitetest.New(t)
	st := a.Store
	r := &wrangleRig{t: t, ctx: ctx, s: a.Site}
	r.writer = r.user("writer")
	r.reader = r.user("reader")
	r.wrangler = r.user("wrangler")
	if err := st.SetUserRoles(ctx, r.wrangler.ID, []string{archive.RoleWrangler}); err != nil {
		t.Fatal(err)
	}
	r.wrangler.Roles = []string{archive.RoleWrangler}
	return r
}

func (r *wrangleRig) user(name string) *archive.User {
	r.t.Helper()
	u, err := r.s.Signup(r.ctx, site.SignupInput{Name: name, Email: name + "@example.test", Password: "correct horse", Confirmation: "correct horse"})
	if err != nil {
		r.t.Fatal(err)
	}
	return u
}

// post posts a work in fandoms with freeform tags; edit tweaks the input.
func (r *wrangleRig) post(title string, fandoms, freeforms []string, edit ...func(*archive.WorkInput)) int64 {
	r.t.Helper()
	in := archive.WorkInput{Title: title, Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone},
		Fandoms: fandoms, Freeforms: freeforms, Language: "en", Chapters: []archive.ChapterInput{{Body: "Once upon a time."}}}
	for _, f := range edit {
		f(&in)
	}
	w, err := r.s.PostWork(r.ctx, r.writer, in)
	if err != nil {
		r.t.Fatalf("post %q: %v", title, err)
	}
	return w.ID
}

// ids lists the works a guest sees filtering on tag (of any type).
func (r *wrangleRig) ids(q listing.Query) []int64 {
	r.t.Helper()
	res, err := r.s.List(r.ctx, nil, q)
	if err != nil {
		r.t.Fatalf("list %+v: %v", q, err)
	}
	out := slices.Clone(res.IDs)
	slices.Sort(out)
	return out
}

func tagQuery(names ...string) listing.Query {
	var q listing.Query
	for _, n := range names {
		q.Include = append(q.Include, listing.TagRef{Name: n})
	}
	return q
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }
func str(s string) *string {
	return &s
}

func (r *wrangleRig) wrangle(name string, c site.TagChange) *site.TagInfo {
	r.t.Helper()
	info, err := r.s.Wrangle(r.ctx, r.wrangler, "", name, c)
	if err != nil {
		r.t.Fatalf("wrangle %q: %v", name, err)
	}
	return info
}

// refuse expects a validation error whose message names every want.
func (r *wrangleRig) refuse(name string, c site.TagChange, want ...string) {
	r.t.Helper()
	_, err := r.s.Wrangle(r.ctx, r.wrangler, "", name, c)
	var ve *archive.ValidationError
	if !errors.As(err, &ve) {
		r.t.Fatalf("wrangle %q %+v: %v, want a validation error", name, c, err)
	}
	for _, w := range want {
		if !strings.Contains(ve.Error(), w) {
			r.t.Errorf("wrangle %q: message %q lacks %q", name, ve.Error(), w)
		}
	}
}

func TestWranglingChangesListingsAtOnce(t *testing.T) {
	r := newWrangleRig(t)
	au := r.post("Tagged AU", []string{"Lantern Tales"}, []string{"AU"})
	full := r.post("Tagged in full", []string{"Lantern Tales"}, []string{"Alternate Universe"})
	cafe := r.post("Coffee", []string{"Lantern Tales"}, []string{"Alternate Universe - Coffee Shops & Cafés"})

	// Unwrangled tags filter exactly the works that carry them.
	if got := r.ids(tagQuery("AU")); !slices.Equal(got, []int64{au}) {
		t.Fatalf("AU before wrangling: %v", got)
	}
	r.wrangle("Alternate Universe", site.TagChange{Canonical: yes()})
	info := r.wrangle("AU", site.TagChange{SynonymOf: str("Alternate Universe")})
	if info.SynonymOf != "Alternate Universe" || info.Canonical {
		t.Fatalf("AU after wrangling: %+v", info)
	}
	if got := r.ids(tagQuery("Alternate Universe")); !slices.Equal(got, []int64{au, full}) {
		t.Errorf("filter on Alternate Universe after the synonym: %v, want %v", got, []int64{au, full})
	}
	if got := r.ids(tagQuery("AU")); !slices.Equal(got, []int64{au, full}) {
		t.Errorf("filter on the synonym AU: %v, want the canonical tag's works", got)
	}

	r.wrangle("Alternate Universe - Coffee Shops & Cafés", site.TagChange{Canonical: yes(), MetaAdd: []string{"Alternate Universe"}})
	if got := r.ids(tagQuery("Alternate Universe")); !slices.Equal(got, []int64{au, full, cafe}) {
		t.Errorf("filter with the coffee-shop sub tag: %v", got)
	}
	ai, err := r.s.TagInfo(r.ctx, nil, "", "alternate universe")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ai.Synonyms, []string{"AU"}) || !slices.Equal(ai.Sub, []string{"Alternate Universe - Coffee Shops & Cafés"}) || ai.Works != 3 {
		t.Errorf("tag info: %+v", ai)
	}
	r.wrangle("Alternate Universe - Coffee Shops & Cafés", site.TagChange{MetaRemove: []string{"Alternate Universe"}})
	if got := r.ids(tagQuery("Alternate Universe")); !slices.Equal(got, []int64{au, full}) {
		t.Errorf("filter after removing the meta tag: %v", got)
	}

	// Un-synonym: AU filters only its own works again.
	r.wrangle("AU", site.TagChange{SynonymOf: str("")})
	if got := r.ids(tagQuery("AU")); !slices.Equal(got, []int64{au}) {
		t.Errorf("AU after clearing the synonym: %v", got)
	}
}

func TestWranglingRules(t *testing.T) {
	r := newWrangleRig(t)
	r.post("One", []string{"Fandom A", "Fandom B"}, []string{"Tag A", "Tag B", "Tag C", "Loose"}, func(in *archive.WorkInput) {
		in.Characters = []string{"Tag A"} // the same name as a freeform
	})
	for _, n := range []string{"Tag A", "Tag B", "Tag C"} {
		r.s.Wrangle(r.ctx, r.wrangler, archive.TypeFreeform, n, site.TagChange{Canonical: yes()})
	}
	r.wrangle("Fandom A", site.TagChange{Canonical: yes()})

	r.wrangle("Tag A", site.TagChange{MetaAdd: []string{"Tag B"}})
	r.refuse("Tag B", site.TagChange{MetaAdd: []string{"Tag A"}}, `"Tag A"`, `"Tag B"`, "cycle")
	r.wrangle("Tag B", site.TagChange{MetaAdd: []string{"Tag C"}})
	r.refuse("Tag C", site.TagChange{MetaAdd: []string{"Tag A"}}, "cycle")
	r.refuse("Tag C", site.TagChange{MetaAdd: []string{"Tag C"}}, `"Tag C"`, "its own meta tag")
	r.refuse("Tag C", site.TagChange{SynonymOf: str("Tag C")}, "synonym of itself")
	r.refuse("Tag C", site.TagChange{MetaAdd: []string{"Fandom A"}}, `"Fandom A"`, "fandom", "same type")
	r.refuse("Tag C", site.TagChange{MetaAdd: []string{"Nothing Like It"}}, `"Nothing Like It"`)
	r.refuse("Tag C", site.TagChange{MetaAdd: []string{"Loose"}}, `"Loose"`, "not canonical")
	r.refuse("Loose", site.TagChange{SynonymOf: str("Fandom A")}, "same type")
	r.refuse("Loose", site.TagChange{Canonical: yes(), SynonymOf: str("Tag C")}, "canonical and a synonym")
	r.refuse("Tag C", site.TagChange{Canonical: no()}, "meta tag of", "Tag B")
	r.refuse("Tag B", site.TagChange{SynonymOf: str("Tag A")}, "meta tag of")
	r.refuse("Fandom A", site.TagChange{ParentAdd: []string{"Fandom A"}}, "only characters, relationships and additional tags")
	r.refuse("Loose", site.TagChange{ParentAdd: []string{"Tag C"}}, "not a fandom")
	r.refuse("Loose", site.TagChange{ParentAdd: []string{"Fandom B"}}, `"Fandom B"`, "not canonical")
	r.refuse(archive.RatingGeneral, site.TagChange{Canonical: no()}, "fixed vocabulary")
	// A refused change with good parts changes nothing.
	r.refuse("Loose", site.TagChange{ParentAdd: []string{"Fandom A"}, MetaAdd: []string{"Missing"}}, `"Missing"`)
	if info, _ := r.s.TagInfo(r.ctx, r.wrangler, "", "Loose"); len(info.ParentFandoms) != 0 {
		t.Errorf("a refused change landed: %+v", info)
	}
	info := r.wrangle("Loose", site.TagChange{ParentAdd: []string{"Fandom A"}})
	if !slices.Equal(info.ParentFandoms, []string{"Fandom A"}) {
		t.Errorf("parents: %+v", info)
	}

	// Ambiguous names: the canonical one wins, a type picks the other.
	if info, _ := r.s.TagInfo(r.ctx, nil, "", "Tag A"); info.Type != archive.TypeFreeform {
		t.Errorf("Tag A resolved to the %s", info.Type)
	}
	if info, _ := r.s.TagInfo(r.ctx, nil, archive.TypeCharacter, "Tag A"); info == nil || info.Type != archive.TypeCharacter || info.Canonical {
		t.Errorf("character Tag A: %+v", info)
	}
}

func TestWranglingPermissions(t *testing.T) {
	r := newWrangleRig(t)
	r.post("One", []string{"Fandom A"}, []string{"Fluff"})
	c := site.TagChange{Canonical: yes()}
	if _, err := r.s.Wrangle(r.ctx, nil, "", "Fluff", c); !errors.Is(err, archive.ErrAuth) {
		t.Errorf("guest: %v", err)
	}
	if _, err := r.s.Wrangle(r.ctx, r.reader, "", "Fluff", c); !errors.Is(err, archive.ErrForbidden) {
		t.Errorf("reader: %v", err)
	}
	if _, err := r.s.Wrangle(r.ctx, r.wrangler, "", "No Such Tag", c); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("unknown tag: %v", err)
	}
	admin := r.user("admin")
	admin.Roles = []string{archive.RoleAdmin}
	if _, err := r.s.Wrangle(r.ctx, admin, "", "Fluff", c); err != nil {
		t.Errorf("admin: %v", err)
	}
	if _, err := r.s.UnwrangledTags(r.ctx, r.reader, "", 1); !errors.Is(err, archive.ErrForbidden) {
		t.Errorf("reader on unwrangled tags: %v", err)
	}
}

func TestSynonymAndCanonicalSwaps(t *testing.T) {
	r := newWrangleRig(t)
	r.post("One", []string{"Fandom A"}, []string{"Hurt/Comfort", "h/c", "hurt comfort"})
	r.wrangle("Hurt/Comfort", site.TagChange{Canonical: yes()})
	r.wrangle("h/c", site.TagChange{SynonymOf: str("Hurt/Comfort")})
	r.refuse("Hurt/Comfort", site.TagChange{SynonymOf: str("hurt comfort")}, "has synonyms", "h/c")
	// Making a synonym canonical stops it being a synonym.
	info := r.wrangle("h/c", site.TagChange{Canonical: yes()})
	if !info.Canonical || info.SynonymOf != "" {
		t.Errorf("h/c made canonical: %+v", info)
	}
	// Making a canonical tag (without synonyms) a synonym un-canonicals it.
	info = r.wrangle("h/c", site.TagChange{SynonymOf: str("hurt/comfort")})
	if info.Canonical || info.SynonymOf != "Hurt/Comfort" {
		t.Errorf("h/c made a synonym again: %+v", info)
	}
}

func TestCrossoverFollowsFandomMetaTags(t *testing.T) {
	r := newWrangleRig(t)
	both := r.post("Both", []string{"Movie Verse", "Comic Verse"}, nil)
	one := r.post("One", []string{"Movie Verse"}, nil)
	only := func() []int64 { q := listing.Query{Crossover: "only"}; return r.ids(q) }
	if got := only(); !slices.Equal(got, []int64{both}) {
		t.Fatalf("crossovers before: %v", got)
	}
	// A tag exists for a wrangler, as for any reader, once a visible work
	// carries it.
	franchise := r.post("Franchise", []string{"The Franchise"}, nil)
	r.wrangle("The Franchise", site.TagChange{Canonical: yes()})
	r.wrangle("Movie Verse", site.TagChange{Canonical: yes(), MetaAdd: []string{"The Franchise"}})
	if got := only(); !slices.Equal(got, []int64{both}) {
		t.Fatalf("crossovers with one meta: %v", got)
	}
	r.wrangle("Comic Verse", site.TagChange{Canonical: yes(), MetaAdd: []string{"The Franchise"}})
	if got := only(); len(got) != 0 {
		t.Errorf("crossovers once both share a meta tag: %v", got)
	}
	q := listing.Query{Crossover: "exclude"}
	if got := r.ids(q); !slices.Equal(got, []int64{both, one, franchise}) {
		t.Errorf("non-crossovers: %v", got)
	}
	r.wrangle("Comic Verse", site.TagChange{MetaRemove: []string{"The Franchise"}})
	if got := only(); !slices.Equal(got, []int64{both}) {
		t.Errorf("crossovers after removing the meta tag: %v", got)
	}
}

func TestAutocomplete(t *testing.T) {
	r := newWrangleRig(t)
	r.post("A", []string{"Fandom A"}, []string{"Angst", "Angst with a Happy Ending"})
	r.post("B", []string{"Fandom A"}, []string{"Angst with a Happy Ending", "Fluff and Angst"})
	r.post("C", []string{"Fandom A"}, []string{"Angst with a Happy Ending"})
	r.post("Secret", []string{"Fandom A"}, []string{"Angstdraft Secret"}, func(in *archive.WorkInput) { in.Draft = true })
	r.post("Members", []string{"Fandom A"}, []string{"Angst Members Only"}, func(in *archive.WorkInput) { in.Restricted = true })
	r.post("Syn", []string{"Fandom A"}, []string{"angsty"})
	r.wrangle("Angst", site.TagChange{Canonical: yes()})
	r.wrangle("angsty", site.TagChange{SynonymOf: str("Angst")})

	names := func(u *archive.User, ty archive.TagType, q string) []string {
		list, err := r.s.Autocomplete(r.ctx, u, ty, q, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range list {
			out = append(out, s.Name)
		}
		return out
	}
	got := names(nil, archive.TypeFreeform, "ang")
	want := []string{"Angst", "Angst with a Happy Ending", "Fluff and Angst"}
	if !slices.Equal(got, want) {
		t.Errorf("guest autocomplete: %q, want %q", got, want)
	}
	// Logged in, restricted works count; drafts never do.
	got = names(r.reader, "", "ANG")
	if !slices.Contains(got, "Angst Members Only") || slices.Contains(got, "Angstdraft Secret") || got[0] != "Angst" {
		t.Errorf("reader autocomplete: %q", got)
	}
	if got := names(r.writer, "", "angstd"); len(got) != 0 {
		t.Errorf("a draft's tag was suggested, even to its writer: %q", got)
	}
	if got := names(nil, archive.TypeFandom, "ang"); len(got) != 0 {
		t.Errorf("type filter: %q", got)
	}
	if got := names(nil, "", "happy"); !slices.Equal(got, []string{"Angst with a Happy Ending"}) {
		t.Errorf("word match: %q", got)
	}
	// A synonym's name suggests its canonical tag.
	if got := names(nil, "", "angsty"); !slices.Equal(got, []string{"Angst"}) {
		t.Errorf("synonym match: %q", got)
	}
	if _, err := r.s.Autocomplete(r.ctx, nil, "", "  ", 0); err == nil {
		t.Error("a blank prefix was accepted")
	}
}

func TestUnwrangledTags(t *testing.T) {
	r := newWrangleRig(t)
	r.post("A", []string{"Fandom A"}, []string{"Fresh Tag", "Wrangled"})
	r.post("B", []string{"Fandom A", "Fandom B"}, []string{"Fresh Tag", "Other Fresh"})
	r.post("C", []string{"Fandom B"}, []string{"B Only"})
	r.post("D", []string{"Fandom B"}, []string{"Draft Only"}, func(in *archive.WorkInput) { in.Draft = true })
	r.wrangle("Wrangled", site.TagChange{Canonical: yes()})
	r.wrangle("Fandom A", site.TagChange{Canonical: yes()})

	page, err := r.s.UnwrangledTags(r.ctx, r.wrangler, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range page.Tags {
		got = append(got, x.Name)
	}
	// Most used first (then by name); unwrangled fandoms are listed too.
	if want := []string{"Fandom B", "Fresh Tag", "B Only", "Other Fresh"}; !slices.Equal(got, want) {
		t.Errorf("unwrangled: %q, want %q", got, want)
	}
	if f := page.Tags[1]; f.Works != 2 || !slices.Equal(f.Fandoms, []string{"Fandom A", "Fandom B"}) {
		t.Errorf("Fresh Tag: %+v", f)
	}
	if slices.Contains(got, "Wrangled") || slices.Contains(got, "Fandom A") || slices.Contains(got, "Draft Only") || !slices.Contains(got, "B Only") {
		t.Errorf("unwrangled: %q", got)
	}
	page, err = r.s.UnwrangledTags(r.ctx, r.wrangler, "fandom a", 1)
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, x := range page.Tags {
		got = append(got, x.Name)
	}
	slices.Sort(got)
	if want := []string{"Fandom B", "Fresh Tag", "Other Fresh"}; !slices.Equal(got, want) || page.Fandom != "Fandom A" {
		t.Errorf("unwrangled in Fandom A: %q, want %q", got, want)
	}
	if _, err := r.s.UnwrangledTags(r.ctx, r.wrangler, "No Such Fandom", 1); err == nil {
		t.Error("an unknown fandom was accepted")
	}
}

func TestTagInfoHidesWhatReadersMayNotSee(t *testing.T) {
	r := newWrangleRig(t)
	r.post("Public", []string{"Fandom A"}, []string{"Seen"})
	r.post("Draft", []string{"Fandom A"}, []string{"Unseen"}, func(in *archive.WorkInput) { in.Draft = true })
	r.wrangle("Seen", site.TagChange{Canonical: yes()})
	if _, err := r.s.TagInfo(r.ctx, r.writer, "", "Unseen"); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("a draft-only tag: %v", err)
	}
	// Wranglers can't reach it either, nor learn of it through a change.
	r.refuse("Seen", site.TagChange{MetaAdd: []string{"Unseen"}}, "there is no")
	info, err := r.s.TagInfo(r.ctx, nil, "", "Seen")
	if err != nil || info.Works != 1 || len(info.Synonyms) != 0 {
		t.Errorf("Seen: %+v %v", info, err)
	}
}
