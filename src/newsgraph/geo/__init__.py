"""Geography: an offline GeoNames gazetteer, demonyms, and toponym resolution with evidence."""
