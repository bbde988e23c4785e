package io.tokenledger.query;

import io.tokenledger.api.PageParams;
import java.util.Map;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/** Turns the {@code page}, {@code size} and {@code sort=field,asc|desc} parameters into a checked page request. */
public final class Paging {

    private Paging() {
    }

    /**
     * Checks the parameters; {@code sortable} maps each public sort field to the property it sorts on.
     * Anything out of range or unknown is refused as invalid input, naming the parameter.
     */
    public static Pageable of(Integer page, Integer size, String sort, Map<String, String> sortable,
                              Sort defaultSort) {
        PageParams params = PageParams.parse(page, size, sort, sortable.keySet());
        Sort order = defaultSort;
        if (params.sortField() != null) {
            order = Sort.by(params.ascending() ? Sort.Direction.ASC : Sort.Direction.DESC,
                    sortable.get(params.sortField())).and(defaultSort);
        }
        return PageRequest.of(params.page(), params.size(), order);
    }
}
