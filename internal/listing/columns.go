package listing

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strings"

	"quire/internal/store"
)

// columns hold what the index keeps of each work, one slice per field,
// indexed by work id: no per-work heap object, so a million works cost a
// few hundred bytes each and a pass over a result streams through memory.
// Dates are Unix seconds and counters saturate at 2^32-1.
type columns struct {
	words, posted, updated           []uint32
	hits, kudos, comments, bookmarks []uint32
	creator                          []uint32 // index into creatorKeys
	lang                             []uint16 // index into langs
	titles                           byteArena
	tags                             tagLists  // direct tag ids
	users                            listArena // creator user ids
	colls                            listArena // collections holding the work (approved)
	anon                             listArena // creator user ids of an anonymous work

	creatorKeys []string
	creatorIdx  map[string]uint32
	langs       []string
	langIdx     map[string]uint16
}

func newColumns() columns {
	return columns{creatorIdx: map[string]uint32{}, langIdx: map[string]uint16{}, tags: tagLists{code: map[uint32]uint32{}}}
}

func u32(v int64) uint32 {
	switch {
	case v < 0:
		return 0
	case v > math.MaxUint32:
		return math.MaxUint32
	}
	return uint32(v)
}

func growTo[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	if n <= cap(s) {
		return s[:n]
	}
	grown := make([]T, n, max(n, 2*cap(s)))
	copy(grown, s)
	return grown
}

// set stores a work's row.
func (c *columns) set(r store.IndexRow) {
	id := uint32(r.ID)
	n := int(id) + 1
	c.words, c.posted, c.updated = growTo(c.words, n), growTo(c.posted, n), growTo(c.updated, n)
	c.hits, c.kudos, c.comments, c.bookmarks = growTo(c.hits, n), growTo(c.kudos, n), growTo(c.comments, n), growTo(c.bookmarks, n)
	c.creator, c.lang = growTo(c.creator, n), growTo(c.lang, n)
	c.words[id] = u32(int64(r.Words))
	c.posted[id], c.updated[id] = u32(r.PostedAt), u32(r.UpdatedAt)
	c.hits[id], c.kudos[id], c.comments[id], c.bookmarks[id] = u32(r.Hits), u32(r.Kudos), u32(r.Comments), u32(r.Bookmarks)
	c.creator[id] = c.intern(r.CreatorSort)
	c.lang[id] = c.language(strings.ToLower(r.Language))
	c.titles.set(id, []byte(r.TitleSort))
	c.tags.set(id, toU32(r.TagIDs))
	if r.Anonymous || r.Unrevealed {
		c.users.set(id, nil)
		c.anon.set(id, toU32(r.CreatorUserIDs))
	} else {
		c.users.set(id, toU32(r.CreatorUserIDs))
		c.anon.set(id, nil)
	}
	c.colls.set(id, toU32(r.Collections))
}

func (c *columns) clear(id uint32) {
	c.titles.set(id, nil)
	c.tags.set(id, nil)
	c.users.set(id, nil)
	c.anon.set(id, nil)
	c.colls.set(id, nil)
}

func toU32(ids []int64) []uint32 {
	out := make([]uint32, 0, len(ids))
	for _, v := range ids {
		if v > 0 && v <= math.MaxUint32 {
			out = append(out, uint32(v))
		}
	}
	return out
}

func (c *columns) intern(key string) uint32 {
	if i, ok := c.creatorIdx[key]; ok {
		return i
	}
	i := uint32(len(c.creatorKeys))
	c.creatorKeys = append(c.creatorKeys, key)
	c.creatorIdx[key] = i
	return i
}

func (c *columns) language(l string) uint16 {
	if i, ok := c.langIdx[l]; ok {
		return i
	}
	i := uint16(len(c.langs))
	c.langs = append(c.langs, l)
	c.langIdx[l] = i
	return i
}

// tagLists keep each work's tags compressed, the largest thing the index
// holds per work: a tag is numbered by its first appearance (so the popular
// tags, which appear early, get small codes), a work's codes are sorted
// and stored as varint gaps: most take one byte instead of four.
type tagLists struct {
	lists byteArena
	code  map[uint32]uint32 // tag id -> code
	tag   []uint32          // code -> tag id
}

// set stores a work's tags (duplicates are dropped).
func (t *tagLists) set(id uint32, tags []uint32) {
	if len(tags) == 0 {
		t.lists.set(id, nil)
		return
	}
	codes := make([]uint32, 0, len(tags))
	for _, tag := range tags {
		c, ok := t.code[tag]
		if !ok {
			c = uint32(len(t.tag))
			t.code[tag] = c
			t.tag = append(t.tag, tag)
		}
		codes = append(codes, c)
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	buf := make([]byte, 0, 2*len(codes))
	prev := uint32(0)
	for _, c := range codes {
		buf = binary.AppendUvarint(buf, uint64(c-prev))
		prev = c
	}
	t.lists.set(id, buf)
}

// get appends a work's tag ids to out.
func (t *tagLists) get(id uint32, out []uint32) []uint32 {
	out = out[:0]
	b := t.lists.get(id)
	c := uint32(0)
	for i := 0; i < len(b); {
		x := uint32(b[i] & 0x7f)
		shift := uint(7)
		for b[i] >= 0x80 {
			i++
			x |= uint32(b[i]&0x7f) << shift
			shift += 7
		}
		i++
		c += x
		out = append(out, t.tag[c])
	}
	return out
}

func (t *tagLists) trim() {
	t.lists.trim()
	t.tag = slices.Clip(t.tag)
}

// arena holds a short list per work in one flat slice: tag ids, creator
// ids, title bytes. A replaced list leaves garbage that compaction reclaims.
type arena[T uint32 | byte] struct {
	data    []T
	off     []uint32
	n       []uint16
	garbage int
}

type (
	listArena = arena[uint32]
	byteArena = arena[byte]
)

func (a *arena[T]) get(id uint32) []T {
	if int(id) >= len(a.off) {
		return nil
	}
	o := a.off[id]
	return a.data[o : o+uint32(a.n[id])]
}

func (a *arena[T]) set(id uint32, vs []T) {
	a.off, a.n = growTo(a.off, int(id)+1), growTo(a.n, int(id)+1)
	a.garbage += int(a.n[id])
	if len(vs) > math.MaxUint16 {
		vs = vs[:math.MaxUint16]
	}
	a.off[id] = uint32(len(a.data))
	a.n[id] = uint16(len(vs))
	a.data = append(a.data, vs...)
	if a.garbage > 1<<16 && a.garbage > len(a.data)/2 {
		a.compact()
	}
}

// compact rewrites the arena in id order, dropping replaced lists.
func (a *arena[T]) compact() {
	data := make([]T, 0, len(a.data)-a.garbage)
	for id := range a.off {
		o, n := a.off[id], uint32(a.n[id])
		a.off[id] = uint32(len(data))
		data = append(data, a.data[o:o+n]...)
	}
	a.data, a.garbage = data, 0
}

func (a *arena[T]) trim() {
	a.data, a.off, a.n = trimmed(a.data), trimmed(a.off), trimmed(a.n)
}

// value is a work's numeric sort key or counter.
func (c *columns) value(key string, id uint32) int64 {
	switch key {
	case "posted":
		return int64(c.posted[id])
	case "words":
		return int64(c.words[id])
	case "hits":
		return int64(c.hits[id])
	case "kudos":
		return int64(c.kudos[id])
	case "comments":
		return int64(c.comments[id])
	case "bookmarks":
		return int64(c.bookmarks[id])
	}
	return int64(c.updated[id])
}

// numeric is a numeric sort key's column, nil for title and creator.
func (c *columns) numeric(key string) []uint32 {
	switch key {
	case "title", "creator":
		return nil
	case "posted":
		return c.posted
	case "words":
		return c.words
	case "hits":
		return c.hits
	case "kudos":
		return c.kudos
	case "comments":
		return c.comments
	case "bookmarks":
		return c.bookmarks
	}
	return c.updated
}

// comparer returns compare for one key, with a numeric column looked up once.
func (c *columns) comparer(key string) func(a, b uint32) int {
	col := c.numeric(key)
	if col == nil {
		return func(a, b uint32) int { return c.compare(key, a, b) }
	}
	return func(a, b uint32) int {
		x, y := col[a], col[b]
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
}

// compare compares two works by a sort key alone.
func (c *columns) compare(key string, a, b uint32) int {
	switch key {
	case "title":
		return bytes.Compare(c.titles.get(a), c.titles.get(b))
	case "creator":
		return strings.Compare(c.creatorKeys[c.creator[a]], c.creatorKeys[c.creator[b]])
	}
	x, y := c.value(key, a), c.value(key, b)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// before reports whether a sorts before b in the ascending order (ties by
// id descending).
func (c *columns) before(key string, a, b uint32) bool {
	if r := c.compare(key, a, b); r != 0 {
		return r < 0
	}
	return a > b
}

// trim drops the spare capacity that growth left behind (after a build).
func (c *columns) trim() {
	c.words, c.posted, c.updated = trimmed(c.words), trimmed(c.posted), trimmed(c.updated)
	c.hits, c.kudos, c.comments, c.bookmarks = trimmed(c.hits), trimmed(c.kudos), trimmed(c.comments), trimmed(c.bookmarks)
	c.creator, c.lang = trimmed(c.creator), trimmed(c.lang)
	c.titles.trim()
	c.tags.trim()
	c.users.trim()
}

func trimmed[T any](s []T) []T {
	if cap(s)-len(s) < len(s)/16 {
		return s
	}
	return append(make([]T, 0, len(s)), s...)
}
