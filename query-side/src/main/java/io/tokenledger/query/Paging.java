package io.tokenledger.query;

import io.tokenledger.api.CommandRejected;
import java.util.Map;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/** Turns the {@code page}, {@code size} and {@code sort=field,asc|desc} parameters into a checked page request. */
public final class Paging {
    public static final int MAX_SIZE = 200;

    private Paging() {
    }

    /**
     * Checks the parameters; {@code sortable} maps each public sort field to the property it sorts on.
     * Anything out of range or unknown is refused as invalid input, naming the parameter.
     */
    public static Pageable of(Integer page, Integer size, String sort, Map<String, String> sortable,
                              Sort defaultSort) {
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        if (p < 0) {
            throw CommandRejected.invalid("page", "must be 0 or more");
        }
        if (s < 1 || s > MAX_SIZE) {
            throw CommandRejected.invalid("size", "must be between 1 and " + MAX_SIZE);
        }
        Sort order = defaultSort;
        if (sort != null && !sort.isBlank()) {
            String[] parts = sort.split(",", -1);
            String property = sortable.get(parts[0].strip());
            if (property == null || parts.length > 2) {
                throw CommandRejected.invalid("sort", "must be one of " + sortable.keySet() + " with ',asc' or ',desc'");
            }
            Sort.Direction direction = Sort.Direction.ASC;
            if (parts.length == 2) {
                direction = switch (parts[1].strip().toLowerCase()) {
                    case "asc" -> Sort.Direction.ASC;
                    case "desc" -> Sort.Direction.DESC;
                    default -> throw CommandRejected.invalid("sort", "direction must be 'asc' or 'desc'");
                };
            }
            order = Sort.by(direction, property).and(defaultSort);
        }
        return PageRequest.of(p, s, order);
    }
}
