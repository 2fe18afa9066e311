-- Old URLs of imported archives (an eFiction site's viewstory.php?sid=N,
-- viewuser.php?uid=N, viewseries.php?seriesid=N) and the paths of this
-- archive they now lead to. from_path is the path with its query in the
-- canonical form the importer writes and the web server looks up.
CREATE TABLE redirects (
    from_path  TEXT PRIMARY KEY,
    to_path    TEXT NOT NULL
);
