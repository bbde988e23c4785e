package io.tokenledger.api;

import java.util.Set;

/**
 * The checked {@code page}, {@code size} and {@code sort=field,asc|desc} parameters of a list.
 *
 * @param sortField one of the list's public sort fields, or null for the list's own order
 */
public record PageParams(int page, int size, String sortField, boolean ascending) {
    /** Largest page size. */
    public static final int MAX_SIZE = 200;
    /** Page size when none is given. */
    public static final int DEFAULT_SIZE = 50;

    /** Checks the parameters, refusing anything out of range or unknown as invalid input that names the parameter. */
    public static PageParams parse(Integer page, Integer size, String sort, Set<String> sortable) {
        int p = page == null ? 0 : page;
        int s = size == null ? DEFAULT_SIZE : size;
        if (p < 0) {
            throw CommandRejected.invalid("page", "must be 0 or more");
        }
        if (s < 1 || s > MAX_SIZE) {
            throw CommandRejected.invalid("size", "must be between 1 and " + MAX_SIZE);
        }
        if ((long) p * s > Integer.MAX_VALUE) {
            // Lists read through JPA take the offset as an int; no list has that many rows anyway.
            throw CommandRejected.invalid("page", "is too large for this page size");
        }
        if (sort == null || sort.isBlank()) {
            return new PageParams(p, s, null, true);
        }
        String[] parts = sort.split(",", -1);
        String field = parts[0].strip();
        if (!sortable.contains(field) || parts.length > 2) {
            throw CommandRejected.invalid("sort", "must be one of " + sortable + " with ',asc' or ',desc'");
        }
        boolean ascending = true;
        if (parts.length == 2) {
            ascending = switch (parts[1].strip().toLowerCase()) {
                case "asc" -> true;
                case "desc" -> false;
                default -> throw CommandRejected.invalid("sort", "direction must be 'asc' or 'desc'");
            };
        }
        return new PageParams(p, s, field, ascending);
    }

    /** Rows to skip. */
    public long offset() {
        return (long) page * size;
    }
}
