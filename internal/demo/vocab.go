package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"quire/internal/archive"
)

// Popularity curve of fandoms: rank k (1-based) is drawn as the primary
// fandom of a work in proportion to 1/(k+fandomQ)^fandomS. Together with the
// franchise siblings and crossovers added to works, the share of works in the
// k-th most used fandom comes out near AO3's: ≈5% for the first, ≈1.8% for the
// tenth, ≈0.3% for the hundredth and ≈0.07% for the five hundredth.
const (
	fandomQ = 1.2
	fandomS = 0.75
	// maxFandoms is the size of the fandom vocabulary at scale.
	maxFandoms = 1000
)

// vtag is a canonical tag that works use, with its synonyms: synP of its uses
// are written as one of the synonyms instead.
type vtag struct {
	name string
	syns []string
	synP float64
}

func (v *vtag) use(r *rand.Rand) string {
	if len(v.syns) > 0 && r.Float64() < v.synP {
		return v.syns[r.IntN(len(v.syns))]
	}
	return v.name
}

type fandom struct {
	vtag
	short  string
	root   int // index into vocab.roots; fandoms of different roots make a crossover
	weight float64
}

// root is a franchise (a meta fandom with its sub fandoms) or a standalone
// fandom: the fandoms that share a cast and never make a crossover together.
type root struct {
	members []int // fandom indices
	famCDF  cdf   // popularity of the members
	cast    *cast
}

type character struct {
	vtag
	prose string // how prose calls the character
}

type relationship struct {
	vtag
	chars []int
}

type cast struct {
	chars   []character
	charCDF cdf
	rels    []relationship
	relCDF  cdf
}

type vocab struct {
	r *rand.Rand

	fandoms   []fandom
	fandomCDF cdf
	roots     []root

	freeforms   []vtag
	freeformCDF cdf
	// freeformFit says which works a freeform suits (fitAny, fitOneShot, fitWIP).
	freeformFit []uint8

	rareFreeforms []string
	rareChars     []string

	canon    []TagWrangling // canonical tags, metas before subs
	synonyms []TagWrangling
	keys     map[archive.TagType]map[string]struct{}
}

// wrangle is the Target.Wrangle argument: canonical tags first (a tag's metas
// and parents before it), then synonyms.
func (v *vocab) wrangle() []TagWrangling {
	out := make([]TagWrangling, 0, len(v.canon)+len(v.synonyms))
	out = append(out, v.canon...)
	return append(out, v.synonyms...)
}

// fandomCount scales the fandom vocabulary with the archive: about 1,000 at
// 10,000 works and above, fewer for small demos.
func fandomCount(works int) int { return clamp(works/10, 40, maxFandoms) }

func newVocab(seed int64, nFandoms int) *vocab {
	v := &vocab{
		r:    rand.New(rand.NewPCG(uint64(seed), 0x71756972652d7631)), // "quire-v1"
		keys: map[archive.TagType]map[string]struct{}{},
	}
	v.buildFandoms(nFandoms)
	v.buildCasts()
	v.buildFreeforms()
	v.buildRare()
	return v
}

// free reports whether name is a valid tag name not yet taken in its type.
func (v *vocab) free(t archive.TagType, name string) bool {
	clean, err := archive.CleanTagName(name)
	if err != nil || clean != name {
		return false
	}
	_, taken := v.keys[t][archive.TagKey(name)]
	return !taken
}

// claim takes name for its type, or reports false when it is taken or invalid.
func (v *vocab) claim(t archive.TagType, name string) bool {
	if !v.free(t, name) {
		return false
	}
	m := v.keys[t]
	if m == nil {
		m = map[string]struct{}{}
		v.keys[t] = m
	}
	m[archive.TagKey(name)] = struct{}{}
	return true
}

func (v *vocab) synP() float64 { return 0.07 + 0.09*v.r.Float64() }

// Fandoms ---------------------------------------------------------------------

func franchiseP(k int) float64 {
	switch {
	case k < 5:
		return 1
	case k < 25:
		return 0.5
	case k < 120:
		return 0.35
	case k < 400:
		return 0.12
	}
	return 0.04
}

func (v *vocab) buildFandoms(n int) {
	slotW := zipfCDF(n, fandomQ, fandomS)
	taken := make([]bool, n)
	for k := range n {
		if taken[k] {
			continue
		}
		taken[k] = true
		if v.r.Float64() < franchiseP(k) && v.franchise(k, taken, slotW) {
			continue
		}
		v.standalone(slotW.weight(k))
	}
	w := make([]float64, len(v.fandoms))
	for i := range v.fandoms {
		w[i] = v.fandoms[i].weight
	}
	v.fandomCDF = weightsCDF(w)
	for i := range v.roots {
		rt := &v.roots[i]
		mw := make([]float64, len(rt.members))
		for j, f := range rt.members {
			mw[j] = v.fandoms[f].weight
		}
		rt.famCDF = weightsCDF(mw)
	}
}

// article prefixes "A " or "An ".
func article(noun string) string {
	if strings.ContainsRune("AEIOU", rune(noun[0])) {
		return "An " + noun
	}
	return "A " + noun
}

func shortOf(name string) string {
	for _, sep := range []string{" (", " - ", ": "} {
		if i := strings.Index(name, sep); i > 0 {
			name = name[:i]
		}
	}
	return strings.TrimPrefix(name, "The ")
}

func (v *vocab) addFandom(name, short string, weight float64, rt int, metas []string) int {
	v.fandoms = append(v.fandoms, fandom{vtag: vtag{name: name}, short: short, root: rt, weight: weight})
	v.canon = append(v.canon, TagWrangling{Type: archive.TypeFandom, Name: name, Canonical: true, Meta: metas})
	v.roots[rt].members = append(v.roots[rt].members, len(v.fandoms)-1)
	return len(v.fandoms) - 1
}

func (v *vocab) standalone(weight float64) {
	r := v.r
	for {
		var name string
		switch r.IntN(8) {
		case 0:
			name = "The " + pickOf(r, adjectives) + " " + pickOf(r, nouns) + " " + pickOf(r, groupNouns)
		case 1:
			name = pickOf(r, adjectives) + " " + pickOf(r, nouns) + " (" + pickOf(r, mediaTypes) + ")"
		case 2:
			name = pickOf(r, placeNames) + " " + pickOf(r, pluralNouns) + " (" + pickOf(r, mediaTypes) + ")"
		case 3:
			name = article(pickOf(r, nouns)) + " of " + pickOf(r, pluralNouns) + " - " + pickOf(r, authorInitials) + " " + pickOf(r, lastNames)
		case 4:
			name = pickOf(r, placeNames) + " (" + pickOf(r, mediaTypes) + ")"
		case 5:
			name = pickOf(r, adjectives) + " " + pickOf(r, pluralNouns) + " (" + pickOf(r, mediaTypes) + ")"
		case 6:
			name = "The " + pickOf(r, nouns) + " of " + pickOf(r, placeNames)
		default:
			name = pickOf(r, placeNames) + ": " + pickOf(r, adjectives) + " " + pickOf(r, nouns) + " (Video Game)"
		}
		if !v.claim(archive.TypeFandom, name) {
			continue
		}
		v.roots = append(v.roots, root{})
		v.addFandom(name, shortOf(name), weight, len(v.roots)-1, nil)
		return
	}
}

// franchise creates a meta fandom "The X Chronicles - All Media Types" with
// sub fandoms "X (TV)", "X (Movies)", … and sometimes a sub of a sub
// ("X: Subtitle (2014)" under "X (Movies)"). The most popular sub takes slot
// k; the others take free slots further down the curve.
func (v *vocab) franchise(k int, taken []bool, slotW cdf) bool {
	r := v.r
	for range 40 {
		short := pickOf(r, adjectives) + " " + pickOf(r, nouns)
		title := "The " + short + " " + pickOf(r, groupNouns)
		meta := title + " - All Media Types"
		media := slices.Clone(mediaTypes)
		r.Shuffle(len(media), func(i, j int) { media[i], media[j] = media[j], media[i] })
		media = media[:2+r.IntN(3)]
		deep := r.Float64() < 0.45
		if deep && !slices.Contains(media, "Movies") {
			media[len(media)-1] = "Movies"
		}
		var subs []string
		for _, m := range media {
			subs = append(subs, short+" ("+m+")")
		}
		if r.Float64() < 0.4 {
			subs = append(subs, title+" - "+pickOf(r, authorInitials)+" "+pickOf(r, lastNames))
		}
		var subsub []string
		if deep {
			for range 1 + r.IntN(2) {
				s := short + ": " + pickOf(r, subtitles) + " (" + strconv.Itoa(1995+r.IntN(30)) + ")"
				if !slices.Contains(subsub, s) {
					subsub = append(subsub, s)
				}
			}
		}
		all := append(append([]string{meta}, subs...), subsub...)
		ok := true
		for _, n := range all {
			if !v.free(archive.TypeFandom, n) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		for _, n := range all {
			v.claim(archive.TypeFandom, n)
		}
		// Weights: one random sub takes slot k, the others later slots.
		top := 1 + r.IntN(len(subs))
		weights := make([]float64, len(all))
		for i := range all {
			if i == top {
				weights[i] = slotW.weight(k)
				continue
			}
			weights[i] = slotW.weight(len(taken)-1) / 2
			target := k + 1 + int(float64(k+4)*(0.2+2.3*r.Float64()))
			for s := target; s < len(taken); s++ {
				if !taken[s] {
					taken[s] = true
					weights[i] = slotW.weight(s)
					target = -1
					break
				}
			}
			if target >= 0 {
				for s := len(taken) - 1; s > k; s-- {
					if !taken[s] {
						taken[s] = true
						weights[i] = slotW.weight(s)
						break
					}
				}
			}
		}
		v.roots = append(v.roots, root{})
		rt := len(v.roots) - 1
		v.addFandom(meta, short, weights[0], rt, nil)
		movies := ""
		for i, s := range subs {
			v.addFandom(s, short, weights[1+i], rt, []string{meta})
			if strings.HasSuffix(s, "(Movies)") {
				movies = s
			}
		}
		for i, s := range subsub {
			v.addFandom(s, short, weights[1+len(subs)+i], rt, []string{movies})
		}
		return true
	}
	return false
}

// fandomSynonyms gives the most popular fandoms abbreviations and variants.
func (v *vocab) fandomSynonyms(idx []int) {
	for _, i := range idx {
		f := &v.fandoms[i]
		var cands []string
		var initials []byte
		for _, w := range strings.Fields(f.name) {
			if c := w[0]; c >= 'A' && c <= 'Z' {
				initials = append(initials, c)
			}
		}
		if len(initials) >= 3 {
			cands = append(cands, string(initials))
		}
		if p := strings.Index(f.name, " ("); p > 0 {
			cands = append(cands, f.name[:p]+" "+strings.Trim(f.name[p+2:], ")"))
		} else if after, ok := strings.CutPrefix(f.name, "The "); ok {
			cands = append(cands, after)
		}
		cands = append(cands, f.short+" fandom")
		for _, c := range cands {
			if len(f.syns) < 2 && v.claim(archive.TypeFandom, c) {
				f.syns = append(f.syns, c)
				v.synonyms = append(v.synonyms, TagWrangling{Type: archive.TypeFandom, Name: c, SynonymOf: f.name})
			}
		}
		if len(f.syns) > 0 {
			f.synP = v.synP()
		}
	}
}

// Casts -----------------------------------------------------------------------

func (v *vocab) buildCasts() {
	w0 := 0.0
	for _, f := range v.fandoms {
		w0 = max(w0, f.weight)
	}
	type ranked struct {
		rt int
		w  float64
	}
	var order []ranked
	for i := range v.roots {
		mw := 0.0
		for _, f := range v.roots[i].members {
			mw = max(mw, v.fandoms[f].weight)
		}
		order = append(order, ranked{i, mw})
	}
	// Most popular first, so that the popular casts get the plain names and
	// the rare ones the disambiguated "Name (Fandom)" forms.
	slices.SortStableFunc(order, func(a, b ranked) int {
		switch {
		case a.w > b.w:
			return -1
		case a.w < b.w:
			return 1
		}
		return 0
	})
	var topFandoms []int
	for rank, o := range order {
		rt := &v.roots[o.rt]
		size := 6 + int(48*math.Sqrt(o.w/w0)) + v.r.IntN(5)
		var parents []string
		for _, f := range rt.members {
			parents = append(parents, v.fandoms[f].name)
		}
		rt.cast = v.newCast(size, rank < 100, parents, v.fandoms[rt.members[0]].short)
		if rank < 60 {
			topFandoms = append(topFandoms, rt.members...)
		}
	}
	v.fandomSynonyms(topFandoms)
}

func (v *vocab) newCast(size int, popular bool, parents []string, disamb string) *cast {
	r := v.r
	c := &cast{}
	type parts struct{ first, last string }
	var ps []parts
	for tries := 0; len(c.chars) < size && tries < size*30; tries++ {
		var name, prose string
		var p parts
		switch x := r.Float64(); {
		case x < 0.75:
			p = parts{pickOf(r, firstNames), pickOf(r, lastNames)}
			name, prose = p.first+" "+p.last, p.first
		case x < 0.87:
			name = pickOf(r, firstNames)
			prose = name
		default:
			name = pickOf(r, charTitles) + " " + pickOf(r, lastNames)
			prose = name
		}
		if !v.claim(archive.TypeCharacter, name) {
			name += " (" + disamb + ")"
			if !v.claim(archive.TypeCharacter, name) {
				continue
			}
		}
		c.chars = append(c.chars, character{vtag: vtag{name: name}, prose: prose})
		ps = append(ps, p)
		v.canon = append(v.canon, TagWrangling{Type: archive.TypeCharacter, Name: name, Canonical: true, Parents: parents})
	}
	c.charCDF = zipfCDF(len(c.chars), 1, 1.0)

	nRel := size + size/3
	seen := map[[4]int]bool{}
	for tries := 0; len(c.rels) < nRel && tries < nRel*30 && len(c.chars) >= 2; tries++ {
		a, b := c.charCDF.pick(r), c.charCDF.pick(r)
		if a == b {
			continue
		}
		sep := "/"
		kind := 0
		if r.Float64() < 0.32 {
			sep, kind = " & ", 1
		}
		chars := []int{a, b}
		if r.Float64() < 0.04 {
			if x := c.charCDF.pick(r); x != a && x != b {
				chars = append(chars, x)
			}
		}
		key := [4]int{kind, -1, -1, -1}
		sorted := slices.Sorted(slices.Values(chars))
		copy(key[1:], sorted)
		if seen[key] {
			continue
		}
		names := make([]string, len(chars))
		for i, ch := range chars {
			names[i] = c.chars[ch].name
		}
		name := strings.Join(names, sep)
		if !v.claim(archive.TypeRelationship, name) {
			continue
		}
		seen[key] = true
		c.rels = append(c.rels, relationship{vtag: vtag{name: name}, chars: chars})
		v.canon = append(v.canon, TagWrangling{Type: archive.TypeRelationship, Name: name, Canonical: true, Parents: parents})
	}
	if len(c.rels) > 0 {
		c.relCDF = zipfCDF(len(c.rels), 1, 1.1)
	}

	if popular {
		for i := 0; i < 3 && i < len(c.chars); i++ {
			ch := &c.chars[i]
			if ps[i].last == "" {
				continue
			}
			for _, s := range []string{ps[i].first, ps[i].first + " " + ps[i].last[:1] + "."} {
				if len(ch.syns) < 2 && v.claim(archive.TypeCharacter, s) {
					ch.syns = append(ch.syns, s)
					v.synonyms = append(v.synonyms, TagWrangling{Type: archive.TypeCharacter, Name: s, SynonymOf: ch.name, Parents: parents})
				}
			}
			if len(ch.syns) > 0 {
				ch.synP = v.synP()
			}
		}
		for i := 0; i < 2 && i < len(c.rels); i++ {
			rel := &c.rels[i]
			if len(rel.chars) != 2 {
				continue
			}
			sep := "/"
			if strings.Contains(rel.name, " & ") {
				sep = " & "
			}
			a, b := c.chars[rel.chars[0]], c.chars[rel.chars[1]]
			for _, s := range []string{b.name + sep + a.name, a.prose + sep + b.prose} {
				if len(rel.syns) < 2 && v.claim(archive.TypeRelationship, s) {
					rel.syns = append(rel.syns, s)
					v.synonyms = append(v.synonyms, TagWrangling{Type: archive.TypeRelationship, Name: s, SynonymOf: rel.name, Parents: parents})
				}
			}
			if len(rel.syns) > 0 {
				rel.synP = v.synP()
			}
		}
	}
	return c
}

// Freeforms -------------------------------------------------------------------

func (v *vocab) buildFreeforms() {
	for _, name := range baseFreeforms {
		if v.claim(archive.TypeFreeform, name) {
			v.freeforms = append(v.freeforms, vtag{name: name})
			v.freeformFit = append(v.freeformFit, freeformFits[name])
		}
	}
	v.freeformCDF = zipfCDF(len(v.freeforms), 4, 0.85)

	// Canonical freeforms in meta order: a tag after all its metas.
	depth := map[string]int{}
	var depthOf func(string) int
	depthOf = func(n string) int {
		if d, ok := depth[n]; ok {
			return d
		}
		d := 0
		for _, m := range freeformMeta[n] {
			d = max(d, depthOf(m)+1)
		}
		depth[n] = d
		return d
	}
	var canon []TagWrangling
	for _, f := range v.freeforms {
		canon = append(canon, TagWrangling{Type: archive.TypeFreeform, Name: f.name, Canonical: true, Meta: freeformMeta[f.name]})
	}
	slices.SortStableFunc(canon, func(a, b TagWrangling) int { return depthOf(a.Name) - depthOf(b.Name) })
	v.canon = append(v.canon, canon...)

	for i := range v.freeforms {
		f := &v.freeforms[i]
		for _, s := range freeformSynonyms[f.name] {
			if v.claim(archive.TypeFreeform, s) {
				f.syns = append(f.syns, s)
				v.synonyms = append(v.synonyms, TagWrangling{Type: archive.TypeFreeform, Name: s, SynonymOf: f.name})
			}
		}
		if len(f.syns) > 0 {
			f.synP = v.synP()
		}
	}
}

// buildRare makes the pools of tags that are never wrangled: long-tail
// freeforms ("kitchen scene at midnight") and a few bit-part characters.
func (v *vocab) buildRare() {
	add := func(s string) {
		if v.claim(archive.TypeFreeform, s) {
			v.rareFreeforms = append(v.rareFreeforms, s)
		}
	}
	for _, p := range rarePlaces {
		for _, t := range rareTimes {
			add(p + " scene " + t)
		}
	}
	for _, t := range rareThings {
		add("too many " + t)
		add(t + " everywhere")
	}
	for _, p := range rarePhrases {
		add(p)
	}
	for _, n := range firstNames {
		add(n + " needs a nap")
		add(n + " deserves a holiday")
	}
	for _, role := range roles {
		for _, s := range []string{"Unnamed " + role, "the " + role, role + " (mentioned)"} {
			if v.claim(archive.TypeCharacter, s) {
				v.rareChars = append(v.rareChars, s)
			}
		}
	}
}
