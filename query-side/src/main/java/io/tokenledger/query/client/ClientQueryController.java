package io.tokenledger.query.client;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PageResult;
import io.tokenledger.api.client.ClientId;
import io.tokenledger.api.client.ClientView;
import io.tokenledger.api.client.FindClient;
import io.tokenledger.query.Paging;
import io.tokenledger.query.QueryRole;
import java.util.UUID;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The registered clients, for admins and auditors. */
@QueryRole
@RestController
class ClientQueryController {
    private final ClientQueries clients;

    ClientQueryController(ClientQueries clients) {
        this.clients = clients;
    }

    @GetMapping("/api/clients")
    PageResult<ClientView> all(@RequestParam(required = false) Integer page,
                               @RequestParam(required = false) Integer size) {
        Pageable pageable = Paging.of(page, size, null, java.util.Map.of(), Sort.unsorted());
        return clients.list(pageable.getPageNumber(), pageable.getPageSize());
    }

    @GetMapping("/api/clients/{id}")
    ClientView one(@PathVariable UUID id) {
        return clients.find(new FindClient(new ClientId(id)))
                .orElseThrow(() -> CommandRejected.notFound("no client " + id));
    }
}
