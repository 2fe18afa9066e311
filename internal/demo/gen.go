package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"quire/internal/archive"
)

// Shares of the fixed vocabularies and of work features (AO3, 2021).
var (
	// archive.Ratings order. The published shares add up to 108.5%, so they
	// are relative weights: 10.9%, 27.8%, 29.9%, 15.1%, 16.3% of works.
	ratingWeights   = []float64{11.8, 30.2, 32.4, 16.4, 17.7}
	categoryWeights = []float64{9, 21, 27, 32, 7, 4} // archive.Categories order: F/F F/M Gen M/M Multi Other
	languageWeights = []float64{90, 2.5, 1.5, 1.2, 2.8, 0.8, 1.2}
)

const (
	pFamily1     = 0.52  // a franchise work adds one more fandom of the franchise
	pFamily2     = 0.18  // … or two more
	pCrossover   = 0.082 // a work adds a fandom of another franchise
	pRareFree    = 0.055 // a freeform slot takes a rare, unwrangled tag
	pRareChar    = 0.025 // a work names an unwrangled bit-part character
	pRestricted  = 0.03
	pDraft       = 0.02
	pSingle      = 0.62 // one-chapter works
	pWIPSingle   = 0.06 // works in progress among one-chapter works …
	pWIPMulti    = 0.43 // … and among multi-chapter ones (≈20% overall)
	maxChapters  = 60
	pMarkdown    = 0.15
	tagMedian    = 8.46  // tags per work (fixed ones included): 6 + lognormal(median, σ): mode 11, mean 17
	tagSigma     = 0.725 //
	yearsSpanned = 10
)

// baseTime is the fixed "now" of every demo archive: dates never depend on
// the clock, so the same seed yields the same archive.
var baseTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

type pick struct{ cast, idx int }

type generator struct {
	v         *vocab
	r         *rand.Rand
	p         prose
	bodyWords int
	users     cdf

	ratingCDF, categoryCDF, languageCDF cdf

	buf     []byte
	fandoms []int
	roots   []int
	picks   []pick
	chars   []pick
}

func newGenerator(v *vocab, seed int64, users, bodyWords int) *generator {
	r := rand.New(rand.NewPCG(uint64(seed), 0x776f726b732d7631)) // "works-v1"
	return &generator{
		v:           v,
		r:           r,
		p:           prose{r: r},
		bodyWords:   bodyWords,
		users:       zipfCDF(users, 5, 0.9),
		ratingCDF:   weightsCDF(ratingWeights),
		categoryCDF: weightsCDF(categoryWeights),
		languageCDF: weightsCDF(languageWeights),
		buf:         make([]byte, 0, 1<<16),
	}
}

// postedTimes draws n posting times over the last ten years, more of them
// recent (the archive grows), sorted so that ids follow dates.
func postedTimes(seed int64, n int) []int64 {
	r := rand.New(rand.NewPCG(uint64(seed), 0x74696d65732d7631)) // "times-v1"
	span := float64(yearsSpanned * 365 * 24 * 3600)
	end := baseTime.Unix() - 3600
	ts := make([]int64, n)
	for i := range ts {
		frac := math.Pow(r.Float64(), 1/1.6)
		ts[i] = end - int64((1-frac)*span)
	}
	slices.Sort(ts)
	return ts
}

func (g *generator) str(f func([]byte) []byte) string {
	g.buf = f(g.buf[:0])
	return string(g.buf)
}

func (g *generator) work(posted int64) Work {
	r := g.r
	in := archive.WorkInput{}
	in.Rating = archive.Ratings[g.ratingCDF.pick(r)]
	in.Warnings = g.warnings(in.Rating)
	in.Categories = g.categories()
	in.Language = languages[g.languageCDF.pick(r)]
	fixed := 1 + len(in.Warnings) + len(in.Categories)

	// Chapters.
	nCh := 1
	if r.Float64() >= pSingle {
		nCh = clamp(int(logNormal(r, 4, 0.8)+0.5), 2, maxChapters)
	}
	wip := r.Float64() < pWIPSingle
	if nCh > 1 {
		wip = r.Float64() < pWIPMulti
	}
	switch {
	case !wip:
		in.ChaptersExpected = nCh
	case r.Float64() < 0.55:
		in.ChaptersExpected = 0
	default:
		in.ChaptersExpected = nCh + 1 + r.IntN(max(2, nCh))
	}

	g.pickFandoms()
	in.Fandoms = make([]string, len(g.fandoms))
	for i, f := range g.fandoms {
		in.Fandoms[i] = g.v.fandoms[f].use(r)
	}

	// How many free tags: the total (with the fixed ones) is 6 + lognormal.
	free := 6 + int(logNormal(r, tagMedian, tagSigma)+0.5) - fixed
	if free > archive.MaxFreeTags {
		free = archive.MaxFreeTags - 20 + r.IntN(21)
	}
	free = max(free, len(g.fandoms))
	rest := free - len(g.fandoms)
	nRel := 0
	genOnly := len(in.Categories) == 0 || (len(in.Categories) == 1 && in.Categories[0] == "Gen")
	if rest > 0 && r.Float64() < 0.85 && !(genOnly && r.Float64() < 0.7) {
		nRel = max(1, int(float64(rest)*(0.08+0.17*r.Float64())+0.5))
	}
	nChar := min(int(float64(rest)*(0.2+0.2*r.Float64())+0.5), rest-nRel)

	in.Relationships = g.pickRelationships(nRel)
	in.Characters = g.pickCharacters(nChar)
	if r.Float64() < pRareChar && len(in.Fandoms)+len(in.Relationships)+len(in.Characters) < free {
		in.Characters = append(in.Characters, pickOf(r, g.v.rareChars))
	}
	nFree := free - len(in.Fandoms) - len(in.Relationships) - len(in.Characters)
	in.Freeforms = g.pickFreeforms(nFree, nCh == 1, wip)

	format := archive.FormatHTML
	if r.Float64() < pMarkdown {
		format = archive.FormatMarkdown
	}
	md := format == archive.FormatMarkdown

	g.p.names = g.p.names[:0]
	for _, c := range g.chars {
		g.p.names = append(g.p.names, g.v.roots[c.cast].cast.chars[c.idx].prose)
	}

	in.Title = g.str(g.p.title)
	if r.Float64() < 0.96 {
		n := 1 + r.IntN(3)
		in.Summary = g.str(func(b []byte) []byte { return g.p.sentences(b, n) })
		in.SummaryFormat = format
	}
	if r.Float64() < 0.3 {
		in.Notes = g.str(g.p.notes)
		in.NotesFormat = format
	}
	if r.Float64() < 0.18 {
		in.EndNotes = g.str(g.p.notes)
		in.EndNotesFormat = format
	}

	titled := r.Float64() < 0.55
	if nCh == 1 {
		titled = r.Float64() < 0.08
	}
	median, sigma := 1.2*float64(g.bodyWords), 0.95
	if nCh > 1 {
		median, sigma = 0.95*float64(g.bodyWords), 0.7
	}
	maxWords := min(40*g.bodyWords, 60000)
	in.Chapters = make([]archive.ChapterInput, nCh)
	for i := range in.Chapters {
		ch := &in.Chapters[i]
		ch.Format = format
		if titled {
			ch.Title = pickOf(r, chapterTitleWords)
		}
		if nCh > 1 {
			if r.Float64() < 0.08 {
				ch.Summary = g.str(func(b []byte) []byte { return g.p.sentences(b, 1) })
				ch.SummaryFormat = format
			}
			if r.Float64() < 0.12 {
				ch.Notes = g.str(g.p.notes)
				ch.NotesFormat = format
			}
			if r.Float64() < 0.06 {
				ch.EndNotes = g.str(g.p.notes)
				ch.EndNotesFormat = format
			}
		}
		words := clamp(int(logNormal(r, median, sigma)+0.5), 1, maxWords)
		g.buf = g.p.body(g.buf[:0], words, md)
		ch.Body = string(g.buf)
	}

	in.Restricted = r.Float64() < pRestricted
	in.Draft = r.Float64() < pDraft
	in.PostedAt = time.Unix(posted, 0).UTC()

	w := Work{UserIndex: g.users.pick(r), Input: in}
	if !in.Draft {
		age := float64(baseTime.Unix()-posted) / (365 * 24 * 3600)
		mu := 5.6 + 0.5*math.Log1p(age) + 0.35*math.Log(float64(nCh))
		hits := math.Exp(mu + 1.4*r.NormFloat64())
		if in.Restricted {
			hits *= 0.3
		}
		kudos := math.Min(hits, hits*0.1*math.Exp(0.45*r.NormFloat64()))
		w.Hits, w.Kudos = int64(hits+0.5), int64(kudos)
	}
	return w
}

func (g *generator) warnings(rating string) []string {
	r := g.r
	x := r.Float64()
	switch {
	case x < 0.44:
		return []string{archive.WarningNone}
	case x < 0.80:
		return []string{archive.WarningChoseNot}
	}
	adult := rating == archive.RatingMature || rating == archive.RatingExplicit || rating == archive.RatingNotRated
	real := func() string {
		y := r.Float64()
		switch {
		case y < 0.62:
			return archive.WarningViolence
		case y < 0.92 || !adult:
			return archive.WarningMCD
		case y < 0.97:
			return archive.WarningNonCon
		}
		return archive.WarningUnderage
	}
	w := []string{real()}
	if r.Float64() < 0.3 {
		second := archive.WarningChoseNot
		if r.Float64() < 0.5 {
			second = real()
		}
		if second != w[0] {
			w = append(w, second)
		}
	}
	return w
}

func (g *generator) categories() []string {
	r := g.r
	n := 1
	switch x := r.Float64(); {
	case x < 0.09:
		return nil
	case x > 0.86:
		n = 2
	}
	a := g.categoryCDF.pick(r)
	if n == 1 {
		return []string{archive.Categories[a]}
	}
	b := a
	for b == a {
		b = g.categoryCDF.pick(r)
	}
	return []string{archive.Categories[a], archive.Categories[b]}
}

// pickFandoms fills g.fandoms (1–3) and g.roots: a primary fandom by
// popularity, often more fandoms of its franchise, sometimes a crossover.
func (g *generator) pickFandoms() {
	r, v := g.r, g.v
	first := v.fandomCDF.pick(r)
	g.fandoms = append(g.fandoms[:0], first)
	rt := &v.roots[v.fandoms[first].root]
	g.roots = append(g.roots[:0], v.fandoms[first].root)
	if len(rt.members) > 1 {
		more := 0
		switch x := r.Float64(); {
		case x < pFamily2:
			more = 2
		case x < pFamily2+pFamily1:
			more = 1
		}
		more = min(more, len(rt.members)-1)
		for tries := 0; more > 0 && tries < 20; tries++ {
			f := rt.members[rt.famCDF.pick(r)]
			if !contains(g.fandoms, f) {
				g.fandoms = append(g.fandoms, f)
				more--
			}
		}
	}
	if len(g.fandoms) < 3 && r.Float64() < pCrossover {
		for range 20 {
			f := v.fandomCDF.pick(r)
			if !contains(g.roots, v.fandoms[f].root) {
				g.fandoms = append(g.fandoms, f)
				g.roots = append(g.roots, v.fandoms[f].root)
				break
			}
		}
	}
}

// castOf draws which of the work's casts a relationship or character comes
// from: mostly the primary fandom's.
func (g *generator) castOf() int {
	if len(g.roots) > 1 && g.r.Float64() < 0.25 {
		return g.roots[1+g.r.IntN(len(g.roots)-1)]
	}
	return g.roots[0]
}

func (g *generator) pickRelationships(n int) []string {
	g.picks = g.picks[:0]
	g.chars = g.chars[:0]
	if n == 0 {
		return nil
	}
	r := g.r
	out := make([]string, 0, n)
	for tries := 0; len(out) < n && tries < 8*n+8; tries++ {
		ci := g.castOf()
		c := g.v.roots[ci].cast
		if len(c.rels) == 0 {
			continue
		}
		p := pick{ci, c.relCDF.pick(r)}
		if containsPick(g.picks, p) {
			continue
		}
		g.picks = append(g.picks, p)
		rel := &c.rels[p.idx]
		out = append(out, rel.use(r))
		for _, ch := range rel.chars {
			if q := (pick{ci, ch}); !containsPick(g.chars, q) {
				g.chars = append(g.chars, q)
			}
		}
	}
	return out
}

// pickCharacters returns n characters: those of the relationships first
// (g.chars), then others by popularity.
func (g *generator) pickCharacters(n int) []string {
	r := g.r
	if len(g.chars) > n {
		g.chars = g.chars[:n]
	}
	for tries := 0; len(g.chars) < n && tries < 8*n+8; tries++ {
		ci := g.castOf()
		c := g.v.roots[ci].cast
		if len(c.chars) == 0 {
			continue
		}
		if p := (pick{ci, c.charCDF.pick(r)}); !containsPick(g.chars, p) {
			g.chars = append(g.chars, p)
		}
	}
	out := make([]string, len(g.chars))
	for i, p := range g.chars {
		out[i] = g.v.roots[p.cast].cast.chars[p.idx].use(r)
	}
	return out
}

// pickFreeforms returns n freeforms by popularity, some rare unwrangled ones
// among them, leaving out those that do not suit the work.
func (g *generator) pickFreeforms(n int, oneShot, wip bool) []string {
	if n <= 0 {
		return nil
	}
	r, v := g.r, g.v
	g.picks = g.picks[:0]
	out := make([]string, 0, n)
	for tries := 0; len(out) < n && tries < 10*n+10; tries++ {
		if r.Float64() < pRareFree {
			p := pick{1, r.IntN(len(v.rareFreeforms))}
			if !containsPick(g.picks, p) {
				g.picks = append(g.picks, p)
				out = append(out, v.rareFreeforms[p.idx])
			}
			continue
		}
		p := pick{0, v.freeformCDF.pick(r)}
		switch v.freeformFit[p.idx] {
		case fitOneShot:
			if !oneShot {
				continue
			}
		case fitWIP:
			if !wip {
				continue
			}
		}
		if !containsPick(g.picks, p) {
			g.picks = append(g.picks, p)
			out = append(out, v.freeforms[p.idx].use(r))
		}
	}
	return out
}

func containsPick(ps []pick, p pick) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}
