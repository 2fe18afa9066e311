-- The fixed vocabularies are canonical tags from the start, so filtering by
-- a rating no work carries yet is an empty result, not an unknown tag.
INSERT INTO tags (type, name, name_key, canonical, created_at) VALUES
    ('rating', 'Not Rated', 'not rated', 1, 0),
    ('rating', 'General Audiences', 'general audiences', 1, 0),
    ('rating', 'Teen And Up Audiences', 'teen and up audiences', 1, 0),
    ('rating', 'Mature', 'mature', 1, 0),
    ('rating', 'Explicit', 'explicit', 1, 0),
    ('warning', 'Creator Chose Not To Use Archive Warnings', 'creator chose not to use archive warnings', 1, 0),
    ('warning', 'Graphic Depictions Of Violence', 'graphic depictions of violence', 1, 0),
    ('warning', 'Major Character Death', 'major character death', 1, 0),
    ('warning', 'No Archive Warnings Apply', 'no archive warnings apply', 1, 0),
    ('warning', 'Rape/Non-Con', 'rape/non-con', 1, 0),
    ('warning', 'Underage Sex', 'underage sex', 1, 0),
    ('category', 'F/F', 'f/f', 1, 0),
    ('category', 'F/M', 'f/m', 1, 0),
    ('category', 'Gen', 'gen', 1, 0),
    ('category', 'M/M', 'm/m', 1, 0),
    ('category', 'Multi', 'multi', 1, 0),
    ('category', 'Other', 'other', 1, 0)
ON CONFLICT (type, name_key) DO UPDATE SET canonical = 1;
