CREATE TABLE `fanfiction_authors` (`uid` int, `penname` varchar(200), `email` varchar(200));
INSERT INTO `fanfiction_authors` VALUES (1,'Cut Off','cut@example.test'),(2,'Never closed
