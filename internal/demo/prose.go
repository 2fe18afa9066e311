package demo

import (
	"math/rand/v2"
)

// prose writes neutral, everyday sentences into a reused buffer. names are
// the characters the sentences talk about.
type prose struct {
	r     *rand.Rand
	names []string
}

func (p *prose) name() string {
	if len(p.names) == 0 {
		return pickOf(p.r, firstNames)
	}
	// Favour the first names (the work's main characters).
	i := p.r.IntN(len(p.names))
	if j := p.r.IntN(len(p.names)); j < i {
		i = j
	}
	return p.names[i]
}

func (p *prose) other(not string) string {
	for range 4 {
		if n := p.name(); n != not {
			return n
		}
	}
	return pickOf(p.r, firstNames)
}

func (p *prose) pick(list []string) string { return list[p.r.IntN(len(list))] }

// sentence appends one sentence and returns the buffer and its word count.
func (p *prose) sentence(b []byte) ([]byte, int) {
	start := len(b)
	switch p.r.IntN(12) {
	case 0:
		b = append(b, p.name()...)
		b = append(b, ' ')
		b = append(b, p.pick(proseVerbsPast)...)
		b = append(b, " the "...)
		b = append(b, p.pick(proseAdjectives)...)
		b = append(b, ' ')
		b = append(b, p.pick(proseNouns)...)
		b = append(b, ' ')
		b = append(b, p.pick(prosePreps)...)
		b = append(b, " the "...)
		b = append(b, p.pick(prosePlaces)...)
		b = append(b, '.')
	case 1:
		b = append(b, "The "...)
		b = append(b, p.pick(proseWeather)...)
		b = append(b, ' ')
		b = append(b, p.pick(proseWeatherVerbs)...)
		b = append(b, " over the "...)
		b = append(b, p.pick(prosePlaces)...)
		b = append(b, ", and "...)
		b = append(b, p.name()...)
		b = append(b, " felt "...)
		b = append(b, p.pick(proseFeelings)...)
		b = append(b, '.')
	case 2:
		b = append(b, '"')
		b = append(b, p.pick(proseDialogue)...)
		b = append(b, ",\" "...)
		b = append(b, p.name()...)
		b = append(b, " said "...)
		b = append(b, p.pick(proseAdverbs)...)
		b = append(b, '.')
	case 3:
		b = append(b, p.pick(proseTimes)...)
		b = append(b, ", "...)
		b = append(b, p.name()...)
		b = append(b, ' ')
		b = append(b, p.pick(proseVerbsPast)...)
		b = append(b, " the "...)
		b = append(b, p.pick(proseNouns)...)
		b = append(b, ' ')
		b = append(b, p.pick(proseAdverbs)...)
		b = append(b, '.')
	case 4:
		b = append(b, p.name()...)
		b = append(b, " thought about the "...)
		b = append(b, p.pick(proseAdjectives)...)
		b = append(b, ' ')
		b = append(b, p.pick(proseNouns)...)
		b = append(b, " for a long time."...)
	case 5:
		b = append(b, "It was "...)
		b = append(b, p.pick(proseAtmospheres)...)
		b = append(b, " by the "...)
		b = append(b, p.pick(prosePlaces)...)
		b = append(b, ", and the "...)
		b = append(b, p.pick(proseNouns)...)
		b = append(b, " was where "...)
		b = append(b, p.name()...)
		b = append(b, " had left it."...)
	case 6:
		a := p.name()
		b = append(b, a...)
		b = append(b, " and "...)
		b = append(b, p.other(a)...)
		b = append(b, " walked to the "...)
		b = append(b, p.pick(prosePlaces)...)
		b = append(b, ' ')
		b = append(b, p.pick(proseAdverbs)...)
		b = append(b, '.')
	case 7:
		b = append(b, "Nobody said anything about the "...)
		b = append(b, p.pick(proseNouns)...)
		b = append(b, '.')
	case 8:
		b = append(b, p.pick(proseTimes)...)
		b = append(b, ", the "...)
		b = append(b, p.pick(proseWeather)...)
		b = append(b, ' ')
		b = append(b, p.pick(proseWeatherVerbs)...)
		b = append(b, ' ')
		b = append(b, p.pick(prosePreps)...)
		b = append(b, " the "...)
		b = append(b, p.pick(prosePlaces)...)
		b = append(b, '.')
	case 9:
		b = append(b, p.name()...)
		b = append(b, " was "...)
		b = append(b, p.pick(proseFeelings)...)
		b = append(b, " and did not quite know why."...)
	case 10:
		b = append(b, "The "...)
		b = append(b, p.pick(proseNouns)...)
		b = append(b, ' ')
		b = append(b, p.pick(prosePreps)...)
		b = append(b, " the "...)
		b = append(b, p.pick(prosePlaces)...)
		b = append(b, " had been there for years."...)
	default:
		a := p.name()
		b = append(b, '"')
		b = append(b, p.pick(proseDialogue)...)
		b = append(b, ",\" said "...)
		b = append(b, a...)
		b = append(b, ", and "...)
		b = append(b, p.other(a)...)
		b = append(b, " nodded."...)
	}
	words := 1
	for _, c := range b[start:] {
		if c == ' ' {
			words++
		}
	}
	return b, words
}

// body appends about target words of paragraphs in the format.
func (p *prose) body(b []byte, target int, markdown bool) []byte {
	words := 0
	for words < target {
		if markdown {
			if words > 0 {
				b = append(b, "\n\n"...)
			}
		} else {
			b = append(b, "<p>"...)
		}
		n := 2 + p.r.IntN(5)
		for i := 0; i < n && words < target; i++ {
			if i > 0 {
				b = append(b, ' ')
			}
			var w int
			b, w = p.sentence(b)
			words += w
		}
		if !markdown {
			b = append(b, "</p>\n"...)
		}
	}
	return b
}

// sentences appends n sentences separated by spaces.
func (p *prose) sentences(b []byte, n int) []byte {
	for i := range n {
		if i > 0 {
			b = append(b, ' ')
		}
		b, _ = p.sentence(b)
	}
	return b
}

var noteLines = []string{
	"Thank you for reading.",
	"This was written for a friend who wanted something gentle.",
	"Comments are always welcome.",
	"The next chapter is on its way.",
	"The title comes from an old song I like.",
	"Written for a winter prompt.",
	"I am still learning, so please be kind.",
	"This took far longer than planned.",
	"Many thanks to my patient beta reader.",
	"Set a few weeks after the end of the series.",
}

func (p *prose) notes(b []byte) []byte {
	n := 1 + p.r.IntN(2)
	for i := range n {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, p.pick(noteLines)...)
	}
	return b
}

func (p *prose) title(b []byte) []byte {
	r := p.r
	switch r.IntN(9) {
	case 0, 1:
		b = append(b, p.pick(titleFixed)...)
	case 2:
		b = append(b, p.pick(titleNumbers)...)
		b = append(b, ' ')
		b = append(b, p.pick(pluralNouns)...)
		b = append(b, ' ')
		b = append(b, p.pick(titlePreps)...)
		b = append(b, ' ')
		b = append(b, p.pick(titleEnds)...)
	case 3:
		b = append(b, "The "...)
		b = append(b, p.pick(adjectives)...)
		b = append(b, ' ')
		b = append(b, p.pick(nouns)...)
	case 4:
		b = append(b, p.pick(titleVerbs)...)
		b = append(b, " the "...)
		b = append(b, p.pick(nouns)...)
	case 5:
		b = append(b, "What the "...)
		b = append(b, p.pick(nouns)...)
		b = append(b, " Knew"...)
	case 6:
		b = append(b, "Of "...)
		b = append(b, p.pick(pluralNouns)...)
		b = append(b, " and "...)
		b = append(b, p.pick(pluralNouns)...)
	case 7:
		b = append(b, p.pick(adjectives)...)
		b = append(b, ' ')
		b = append(b, p.pick(pluralNouns)...)
	default:
		b = append(b, p.pick(titlePreps)...)
		b = append(b, " the "...)
		b = append(b, p.pick(adjectives)...)
		b = append(b, ' ')
		b = append(b, p.pick(nouns)...)
	}
	return b
}

var titleEnds = []string{"Ice", "Glass", "the Sea", "the Hill", "Winter", "the Bridge", "a Paper Moon", "the Rain"}
