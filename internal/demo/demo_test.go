package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"hash"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"quire/internal/archive"
)

// recorder is a Target that keeps everything it receives.
type recorder struct {
	users  []string
	emails []string
	tags   []TagWrangling
	works  []Work
	calls  []string // "user", "wrangle", "works"
	sizes  []int
}

func (r *recorder) CreateUser(_ context.Context, name, email string) error {
	r.users = append(r.users, name)
	r.emails = append(r.emails, email)
	r.calls = append(r.calls, "user")
	return nil
}

func (r *recorder) Wrangle(_ context.Context, tags []TagWrangling) error {
	r.tags = append(r.tags, tags...)
	r.calls = append(r.calls, "wrangle")
	return nil
}

func (r *recorder) PostWorks(_ context.Context, batch []Work) error {
	r.works = append(r.works, batch...)
	r.calls = append(r.calls, "works")
	r.sizes = append(r.sizes, len(batch))
	return nil
}

// hasher is a Target that hashes every call's data in order.
type hasher struct{ h hash.Hash }

func (h *hasher) write(kind string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	h.h.Write([]byte(kind))
	h.h.Write(b)
	return nil
}
func (h *hasher) CreateUser(_ context.Context, name, email string) error {
	return h.write("user", []string{name, email})
}
func (h *hasher) Wrangle(_ context.Context, tags []TagWrangling) error {
	return h.write("wrangle", tags)
}
func (h *hasher) PostWorks(_ context.Context, batch []Work) error {
	return h.write("works", batch)
}

var (
	sampleOnce sync.Once
	sample     *recorder
	sampleOut  bytes.Buffer
)

const sampleWorks = 20000

// sampleArchive is one 20k-work archive shared by the distribution tests.
func sampleArchive(t testing.TB) *recorder {
	sampleOnce.Do(func() {
		sample = &recorder{}
		if err := Generate(context.Background(), sample, Options{Works: sampleWorks, Seed: 42, BodyWords: 200}, &sampleOut); err != nil {
			t.Fatal(err)
		}
	})
	if sample == nil || len(sample.works) != sampleWorks {
		t.Fatal("sample archive not generated")
	}
	return sample
}

// canon maps a tag's (type, key) to its canonical name (itself when canonical
// or unwrangled), and reports which tags are wrangled.
type canon struct {
	to       map[archive.TagType]map[string]string
	known    map[archive.TagType]map[string]TagWrangling
	ancestor map[string]map[string]bool // fandom → itself and every meta above it
}

func newCanon(tags []TagWrangling) *canon {
	c := &canon{to: map[archive.TagType]map[string]string{}, known: map[archive.TagType]map[string]TagWrangling{}}
	for _, t := range tags {
		if c.to[t.Type] == nil {
			c.to[t.Type] = map[string]string{}
			c.known[t.Type] = map[string]TagWrangling{}
		}
		k := archive.TagKey(t.Name)
		c.known[t.Type][k] = t
		if t.SynonymOf != "" {
			c.to[t.Type][k] = t.SynonymOf
		} else {
			c.to[t.Type][k] = t.Name
		}
	}
	c.ancestor = map[string]map[string]bool{}
	var up func(string) map[string]bool
	up = func(name string) map[string]bool {
		if a, ok := c.ancestor[name]; ok {
			return a
		}
		a := map[string]bool{name: true}
		for _, m := range c.known[archive.TypeFandom][archive.TagKey(name)].Meta {
			for x := range up(m) {
				a[x] = true
			}
		}
		c.ancestor[name] = a
		return a
	}
	for _, t := range tags {
		if t.Type == archive.TypeFandom && t.Canonical {
			up(t.Name)
		}
	}
	return c
}

func (c *canon) of(t archive.TagType, name string) string {
	if n, ok := c.to[t][archive.TagKey(name)]; ok {
		return n
	}
	return name
}

func (c *canon) crossover(fandoms []string) bool {
	if len(fandoms) < 2 {
		return false
	}
	common := map[string]bool{}
	for x := range c.ancestor[c.of(archive.TypeFandom, fandoms[0])] {
		common[x] = true
	}
	for _, f := range fandoms[1:] {
		a := c.ancestor[c.of(archive.TypeFandom, f)]
		for x := range common {
			if !a[x] {
				delete(common, x)
			}
		}
	}
	return len(common) == 0
}

func tagCount(in *archive.WorkInput) (free, total int) {
	free = len(in.Fandoms) + len(in.Relationships) + len(in.Characters) + len(in.Freeforms)
	return free, free + 1 + len(in.Warnings) + len(in.Categories)
}

func TestDeterminism(t *testing.T) {
	run := func(seed int64) []byte {
		h := &hasher{h: sha256.New()}
		if err := Generate(context.Background(), h, Options{Works: 1200, Seed: seed, BodyWords: 30}, io.Discard); err != nil {
			t.Fatal(err)
		}
		return h.h.Sum(nil)
	}
	a, b, c := run(7), run(7), run(8)
	if !bytes.Equal(a, b) {
		t.Error("same seed gave different archives")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same archive")
	}
}

func TestCallsAndUsers(t *testing.T) {
	rec := sampleArchive(t)
	wantUsers := sampleWorks / 8
	if len(rec.users) != wantUsers {
		t.Fatalf("users = %d, want %d", len(rec.users), wantUsers)
	}
	seen := map[string]bool{}
	for i, u := range rec.users {
		if u == "" || len(u) > archive.MaxUserNameLength || strings.Trim(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
			t.Fatalf("bad user name %q", u)
		}
		if seen[u] {
			t.Fatalf("duplicate user %q", u)
		}
		seen[u] = true
		if rec.emails[i] != u+"@example.invalid" {
			t.Fatalf("email %q", rec.emails[i])
		}
	}
	// Users, then one Wrangle, then batches.
	i := 0
	for i < len(rec.calls) && rec.calls[i] == "user" {
		i++
	}
	if i != wantUsers || rec.calls[i] != "wrangle" {
		t.Fatalf("call order: wrangle at %d", i)
	}
	for _, c := range rec.calls[i+1:] {
		if c != "works" {
			t.Fatalf("unexpected call %q after wrangling", c)
		}
	}
	for j, s := range rec.sizes {
		if s != BatchSize && j != len(rec.sizes)-1 {
			t.Fatalf("batch %d has %d works", j, s)
		}
	}
	// Works are spread over users, the first the most prolific.
	per := make([]int, wantUsers)
	for _, w := range rec.works {
		if w.UserIndex < 0 || w.UserIndex >= wantUsers {
			t.Fatalf("user index %d", w.UserIndex)
		}
		per[w.UserIndex]++
	}
	if slices.Max(per) != per[0] || per[0] < 50 || per[0] > sampleWorks/20 {
		t.Errorf("most prolific author has %d works (first user %d)", slices.Max(per), per[0])
	}
	if !strings.Contains(sampleOut.String(), "demo: 20000/20000 works (100%)") || !strings.Contains(sampleOut.String(), "\rdemo: 500/20000 works (2%)") {
		t.Errorf("progress output: %q", tail(sampleOut.String(), 200))
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func TestRatingsWarningsCategories(t *testing.T) {
	rec := sampleArchive(t)
	counts := map[string]int{}
	warn := map[string]int{}
	cats := map[string]int{}
	for _, w := range rec.works {
		in := &w.Input
		counts[in.Rating]++
		if len(in.Warnings) < 1 || len(in.Warnings) > 2 {
			t.Fatalf("%d warnings", len(in.Warnings))
		}
		for _, x := range in.Warnings {
			warn[x]++
			if !slices.Contains(archive.Warnings, x) {
				t.Fatalf("warning %q", x)
			}
		}
		if slices.Contains(in.Warnings, archive.WarningNone) && len(in.Warnings) > 1 {
			t.Fatalf("No Archive Warnings Apply with %v", in.Warnings)
		}
		if len(in.Categories) > 2 {
			t.Fatalf("%d categories", len(in.Categories))
		}
		for _, x := range in.Categories {
			cats[x]++
			if !slices.Contains(archive.Categories, x) {
				t.Fatalf("category %q", x)
			}
		}
	}
	sum := 0.0
	for _, w := range ratingWeights {
		sum += w
	}
	for i, r := range archive.Ratings {
		got := 100 * float64(counts[r]) / sampleWorks
		want := 100 * ratingWeights[i] / sum
		if math.Abs(got-want) > 1.5 {
			t.Errorf("rating %s: %.1f%%, want %.1f%%", r, got, want)
		}
	}
	if warn[archive.WarningNone]+warn[archive.WarningChoseNot] < sampleWorks*7/10 || warn[archive.WarningViolence] < sampleWorks/20 || warn[archive.WarningMCD] < sampleWorks/50 {
		t.Errorf("warnings: %v", warn)
	}
	if cats["M/M"] < cats["F/M"] || cats["Gen"] < cats["F/M"] || cats["F/M"] < cats["F/F"] || cats["Other"] == 0 {
		t.Errorf("categories: %v", cats)
	}
	t.Logf("ratings %v warnings %v categories %v", counts, warn, cats)
}

func TestTagNamesAndWrangling(t *testing.T) {
	rec := sampleArchive(t)
	c := newCanon(rec.tags)
	check := func(name string) {
		clean, err := archive.CleanTagName(name)
		if err != nil || clean != name {
			t.Fatalf("tag %q: %v (clean %q)", name, err, clean)
		}
	}
	keys := map[archive.TagType]map[string]bool{}
	byType := map[archive.TagType]int{}
	synonyms := 0
	for i, tg := range rec.tags {
		check(tg.Name)
		if keys[tg.Type] == nil {
			keys[tg.Type] = map[string]bool{}
		}
		k := archive.TagKey(tg.Name)
		if keys[tg.Type][k] {
			t.Fatalf("tag %s %q twice", tg.Type, tg.Name)
		}
		keys[tg.Type][k] = true
		byType[tg.Type]++
		if !slices.Contains(archive.FreeTagTypes, tg.Type) {
			t.Fatalf("wrangled fixed tag %v", tg)
		}
		if tg.Canonical == (tg.SynonymOf != "") {
			t.Fatalf("tag %q: canonical %v synonym of %q", tg.Name, tg.Canonical, tg.SynonymOf)
		}
		// Everything a tag names is a canonical tag listed before it.
		earlier := func(typ archive.TagType, name string) {
			for _, e := range rec.tags[:i] {
				if e.Type == typ && e.Name == name && e.Canonical {
					return
				}
			}
			t.Fatalf("tag %q names %s %q, not an earlier canonical tag", tg.Name, typ, name)
		}
		if tg.SynonymOf != "" {
			synonyms++
			earlier(tg.Type, tg.SynonymOf)
		}
		for _, m := range tg.Meta {
			earlier(tg.Type, m)
		}
		for _, p := range tg.Parents {
			earlier(archive.TypeFandom, p)
		}
		if (tg.Type == archive.TypeCharacter || tg.Type == archive.TypeRelationship) && len(tg.Parents) == 0 {
			t.Fatalf("%s %q has no parent fandom", tg.Type, tg.Name)
		}
	}
	t.Logf("wrangled tags by type %v, %d synonyms", byType, synonyms)
	if byType[archive.TypeFandom] < maxFandoms || byType[archive.TypeFandom] > maxFandoms*13/10 {
		t.Errorf("%d fandoms", byType[archive.TypeFandom])
	}

	// Meta chains of depth ≥ 2 among fandoms and freeforms.
	for _, typ := range []archive.TagType{archive.TypeFandom, archive.TypeFreeform} {
		var depth func(string) int
		depth = func(n string) int {
			d := 0
			for _, m := range c.known[typ][archive.TagKey(n)].Meta {
				d = max(d, 1+depth(m))
			}
			return d
		}
		deepest := 0
		for _, tg := range rec.tags {
			if tg.Type == typ {
				deepest = max(deepest, depth(tg.Name))
			}
		}
		if deepest < 2 {
			t.Errorf("%s meta chains reach depth %d", typ, deepest)
		}
	}
	au := c.known[archive.TypeFreeform][archive.TagKey("Alternate Universe - Coffee Shops & Cafés")]
	if !slices.Contains(au.Meta, "Alternate Universe") {
		t.Errorf("coffee shop AU metas: %v", au.Meta)
	}

	// Tag names used on works, unwrangled ones among them.
	unwrangled := map[archive.TagType]map[string]bool{}
	for _, w := range rec.works {
		in := &w.Input
		for typ, names := range in.TagsByType() {
			seen := map[string]bool{}
			for _, n := range names {
				check(n)
				k := archive.TagKey(n)
				if seen[k] {
					t.Fatalf("work has %s %q twice", typ, n)
				}
				seen[k] = true
				if slices.Contains(archive.FreeTagTypes, typ) {
					if _, ok := c.known[typ][k]; !ok {
						if unwrangled[typ] == nil {
							unwrangled[typ] = map[string]bool{}
						}
						unwrangled[typ][n] = true
					}
				}
			}
		}
	}
	if len(unwrangled[archive.TypeFreeform]) < 100 || len(unwrangled[archive.TypeCharacter]) < 5 || len(unwrangled[archive.TypeFandom]) != 0 {
		t.Errorf("unwrangled tags used: %d freeforms, %d characters, %d fandoms",
			len(unwrangled[archive.TypeFreeform]), len(unwrangled[archive.TypeCharacter]), len(unwrangled[archive.TypeFandom]))
	}
}

func TestSynonymShares(t *testing.T) {
	rec := sampleArchive(t)
	c := newCanon(rec.tags)
	type use struct{ all, syn int }
	uses := map[string]*use{}
	for _, w := range rec.works {
		for typ, names := range w.Input.TagsByType() {
			if !slices.Contains(archive.FreeTagTypes, typ) {
				continue
			}
			for _, n := range names {
				cn := c.of(typ, n)
				key := string(typ) + ":" + cn
				u := uses[key]
				if u == nil {
					u = &use{}
					uses[key] = u
				}
				u.all++
				if cn != n {
					u.syn++
				}
			}
		}
	}
	checked := 0
	for _, name := range []string{"freeform:Fluff", "freeform:Angst", "freeform:Hurt/Comfort", "freeform:Alternate Universe", "freeform:Slow Burn"} {
		u := uses[name]
		share := float64(u.syn) / float64(u.all)
		if u.all < 300 || share < 0.05 || share > 0.20 {
			t.Errorf("%s: %d uses, synonyms %.1f%%", name, u.all, 100*share)
		}
	}
	for key, u := range uses {
		if u.syn > 0 && u.all >= 400 {
			checked++
			if share := float64(u.syn) / float64(u.all); share < 0.05 || share > 0.20 {
				t.Errorf("%s: %d uses, synonyms %.1f%%", key, u.all, 100*share)
			}
		}
	}
	if checked < 15 {
		t.Errorf("only %d popular tags with synonyms", checked)
	}
}

func TestTagsPerWork(t *testing.T) {
	rec := sampleArchive(t)
	hist := map[int]int{}
	sum, maxFree := 0, 0
	var nf, nr, nc, nff int
	for _, w := range rec.works {
		free, total := tagCount(&w.Input)
		hist[total]++
		sum += total
		maxFree = max(maxFree, free)
		nf += len(w.Input.Fandoms)
		nr += len(w.Input.Relationships)
		nc += len(w.Input.Characters)
		nff += len(w.Input.Freeforms)
		if len(w.Input.Fandoms) < 1 || len(w.Input.Fandoms) > 3 {
			t.Fatalf("%d fandoms", len(w.Input.Fandoms))
		}
	}
	mode := 0
	for k, n := range hist {
		if n > hist[mode] {
			mode = k
		}
	}
	mean := float64(sum) / sampleWorks
	t.Logf("tags per work: mean %.2f mode %d max free %d; per work %.2f fandoms %.2f relationships %.2f characters %.2f freeforms",
		mean, mode, maxFree, float64(nf)/sampleWorks, float64(nr)/sampleWorks, float64(nc)/sampleWorks, float64(nff)/sampleWorks)
	if mean < 15.5 || mean > 18.5 {
		t.Errorf("mean tags %.2f, want ≈17", mean)
	}
	if mode < 10 || mode > 12 {
		t.Errorf("mode %d, want ≈11", mode)
	}
	if maxFree > archive.MaxFreeTags || maxFree < 55 {
		t.Errorf("max free tags %d", maxFree)
	}
}

func TestCrossovers(t *testing.T) {
	rec := sampleArchive(t)
	c := newCanon(rec.tags)
	cross, multi, sameMeta := 0, 0, 0
	for _, w := range rec.works {
		if len(w.Input.Fandoms) > 1 {
			multi++
			if c.crossover(w.Input.Fandoms) {
				cross++
			} else {
				sameMeta++
			}
		}
	}
	share := float64(cross) / sampleWorks
	t.Logf("multi-fandom %.1f%%, crossovers %.1f%%", 100*float64(multi)/sampleWorks, 100*share)
	if share < 0.05 || share > 0.10 {
		t.Errorf("crossovers %.1f%%, want 5–10%%", 100*share)
	}
	if sameMeta < sampleWorks/10 {
		t.Errorf("only %d works in several fandoms under one meta", sameMeta)
	}
}

func TestChaptersAndText(t *testing.T) {
	rec := sampleArchive(t)
	incomplete, multi, restricted, draft, nonEn := 0, 0, 0, 0, 0
	var chWords, workWords []int
	formats := map[archive.Format]int{}
	for _, w := range rec.works {
		in := &w.Input
		n := len(in.Chapters)
		if n < 1 || n > maxChapters {
			t.Fatalf("%d chapters", n)
		}
		if n > 1 {
			multi++
		}
		if in.ChaptersExpected == 0 || in.ChaptersExpected > n {
			incomplete++
		} else if in.ChaptersExpected != n {
			t.Fatalf("expected %d chapters, posted %d", in.ChaptersExpected, n)
		}
		if in.Title == "" || len(in.Title) > archive.MaxTitleLength || len(in.Summary) > archive.MaxSummaryLength {
			t.Fatalf("title %q summary %q", in.Title, in.Summary)
		}
		if in.Restricted {
			restricted++
		}
		if in.Draft {
			draft++
			if w.Hits != 0 {
				t.Fatal("draft with hits")
			}
		}
		if in.Language != "en" {
			nonEn++
		}
		if !in.PostedAt.Before(baseTime) || in.PostedAt.Before(baseTime.AddDate(-yearsSpanned, 0, -1)) {
			t.Fatalf("posted %v", in.PostedAt)
		}
		if w.Kudos > w.Hits || w.Hits < 0 || w.Kudos < 0 {
			t.Fatalf("hits %d kudos %d", w.Hits, w.Kudos)
		}
		total := 0
		for _, ch := range in.Chapters {
			formats[ch.Format]++
			if ch.Format != in.Chapters[0].Format {
				t.Fatal("mixed formats")
			}
			if len(ch.Body) > archive.MaxChapterLength {
				t.Fatalf("chapter of %d bytes", len(ch.Body))
			}
			if ch.Format == archive.FormatHTML && (!strings.HasPrefix(ch.Body, "<p>") || !strings.HasSuffix(ch.Body, "</p>\n")) {
				t.Fatalf("html body %q", tail(ch.Body, 50))
			}
			words := countWords(ch.Body)
			chWords = append(chWords, words)
			total += words
		}
		workWords = append(workWords, total)
	}
	pct := func(n int) float64 { return 100 * float64(n) / sampleWorks }
	sort.Ints(chWords)
	sort.Ints(workWords)
	medCh, medWork := chWords[len(chWords)/2], workWords[len(workWords)/2]
	t.Logf("incomplete %.1f%% multi-chapter %.1f%% restricted %.1f%% draft %.1f%% non-en %.1f%% formats %v; median chapter %d words, median work %d (BodyWords 200), max work %d",
		pct(incomplete), pct(multi), pct(restricted), pct(draft), pct(nonEn), formats, medCh, medWork, workWords[len(workWords)-1])
	if p := pct(incomplete); p < 17 || p > 23 {
		t.Errorf("incomplete %.1f%%, want ≈20%%", p)
	}
	if p := pct(multi); p < 25 || p > 50 {
		t.Errorf("multi-chapter %.1f%%", p)
	}
	if p := pct(restricted); p < 2 || p > 4 {
		t.Errorf("restricted %.1f%%", p)
	}
	if p := pct(draft); p < 1.3 || p > 2.7 {
		t.Errorf("drafts %.1f%%", p)
	}
	if p := pct(nonEn); p < 8 || p > 12 {
		t.Errorf("non-English %.1f%%", p)
	}
	if medCh < 170 || medCh > 230 {
		t.Errorf("median chapter %d words, want ≈200", medCh)
	}
	if medWork < 340 || medWork > 460 {
		t.Errorf("median work %d words, want ≈400", medWork)
	}
}

// countWords counts words of a body as a reader sees them (markup dropped).
func countWords(body string) int {
	var b strings.Builder
	in := false
	for _, r := range body {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return len(strings.Fields(b.String()))
}

// fandomCounter counts works per canonical fandom without keeping the works.
type fandomCounter struct {
	syn    map[string]string
	counts map[string]int
	works  int
}

func (f *fandomCounter) CreateUser(context.Context, string, string) error { return nil }
func (f *fandomCounter) Wrangle(_ context.Context, tags []TagWrangling) error {
	f.syn = map[string]string{}
	for _, t := range tags {
		if t.Type == archive.TypeFandom && t.SynonymOf != "" {
			f.syn[t.Name] = t.SynonymOf
		}
	}
	return nil
}
func (f *fandomCounter) PostWorks(_ context.Context, batch []Work) error {
	for _, w := range batch {
		f.works++
		for _, n := range w.Input.Fandoms {
			if c, ok := f.syn[n]; ok {
				n = c
			}
			f.counts[n]++
		}
	}
	return nil
}

func TestFandomZipf(t *testing.T) {
	if testing.Short() {
		t.Skip("100k works")
	}
	const n = 100000
	fc := &fandomCounter{counts: map[string]int{}}
	if err := Generate(context.Background(), fc, Options{Works: n, Seed: 1, BodyWords: 1, Users: 100}, io.Discard); err != nil {
		t.Fatal(err)
	}
	var counts []int
	for _, c := range fc.counts {
		counts = append(counts, c)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(counts)))
	for _, p := range []struct {
		rank int
		want float64 // % of works
		tol  float64 // relative
	}{{1, 5, 0.2}, {10, 1.8, 0.2}, {100, 0.3, 0.2}, {500, 0.07, 0.3}} {
		got := 100 * float64(counts[p.rank-1]) / n
		t.Logf("fandom #%d: %.3f%% of works (want %.2f%%)", p.rank, got, p.want)
		if math.Abs(got-p.want)/p.want > p.tol {
			t.Errorf("fandom #%d has %.3f%% of works, want %.2f%% ± %.0f%%", p.rank, got, p.want, 100*p.tol)
		}
	}
	t.Logf("%d fandoms used", len(counts))
}

func BenchmarkGenerate100k(b *testing.B) {
	for b.Loop() {
		if err := Generate(context.Background(), discard{}, Options{Works: 100000, Seed: 1, BodyWords: 50}, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) CreateUser(context.Context, string, string) error { return nil }
func (discard) Wrangle(context.Context, []TagWrangling) error    { return nil }
func (discard) PostWorks(context.Context, []Work) error          { return nil }

func TestSmallAndErrors(t *testing.T) {
	rec := &recorder{}
	if err := Generate(context.Background(), rec, Options{Works: 7, Seed: 3}, nil); err != nil {
		t.Fatal(err)
	}
	if len(rec.users) != 3 || rec.users[0] != "demo_author" || len(rec.works) != 7 || len(rec.sizes) != 1 || len(rec.tags) == 0 {
		t.Fatalf("users %v, %d works in %d batches, %d tags", rec.users, len(rec.works), len(rec.sizes), len(rec.tags))
	}
	// Default body length: a median chapter of about 1,500 words.
	var words []int
	for _, w := range rec.works {
		for _, ch := range w.Input.Chapters {
			words = append(words, countWords(ch.Body))
		}
	}
	if slices.Max(words) < 300 {
		t.Errorf("default body words: %v", words)
	}

	rec = &recorder{}
	if err := Generate(context.Background(), rec, Options{Works: 0, Seed: 3, Users: 5}, io.Discard); err != nil || len(rec.users) != 5 || len(rec.works) != 0 {
		t.Fatalf("zero works: %v, %d users", err, len(rec.users))
	}
	if err := Generate(context.Background(), rec, Options{Works: -1}, io.Discard); err == nil {
		t.Error("negative works accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Generate(ctx, &recorder{}, Options{Works: 10}, io.Discard); err == nil {
		t.Error("cancelled context not reported")
	}
}

// TestWorksValidate runs a sample of the works through the archive's own
// validation, as the real Target does.
func TestWorksValidate(t *testing.T) {
	rec := sampleArchive(t)
	now := baseTime.AddDate(0, 6, 0)
	for i := 0; i < len(rec.works); i += 10 {
		in := rec.works[i].Input
		w, chapters, err := archive.PrepareWork(in, now)
		if err != nil {
			t.Fatalf("work %d %q: %v", i, in.Title, err)
		}
		if len(chapters) != len(in.Chapters) || !w.PostedAt.Equal(in.PostedAt) {
			t.Fatalf("work %d: %d chapters, posted %v", i, len(chapters), w.PostedAt)
		}
	}
}
